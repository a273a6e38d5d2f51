// "My bookings", and one booking: its confirmation, cancelling it, and the refund.
import { useEffect, useState } from 'preact/hooks';
import { api, money, type Booking, type Payment } from '../../shared/api';
import { say } from '../errors';
import { reference, when } from '../format';
import { failed, signedIn, tell } from '../state';
import { BookingTicketsPanel } from './TicketsPage';

function RefundNote({ booking, payment }: { booking: Booking; payment: Payment | undefined }) {
  if (booking.status !== 'cancelled') return null;
  return payment?.status === 'refunded' ? (
    <span class="badge refunded">Refunded {money(payment.amount, payment.currency)}</span>
  ) : (
    <span class="badge pending">Refund of {money(booking.amount, booking.currency)} on its way</span>
  );
}

export function BookingsPage() {
  const [data, setData] = useState<{ bookings: Booking[]; payments: Map<string, Payment> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!signedIn.value) return;
    Promise.all([api.bookings(), api.payments()]).then(
      ([b, p]) => setData({ bookings: b.items, payments: new Map(p.items.map((x) => [x.id, x])) }),
      (err) => setError(say(err)),
    );
  }, [signedIn.value]);
  if (!signedIn.value)
    return (
      <section>
        <h1>My bookings</h1>
        <p class="panel">
          <a href="#/signin?next=%23%2Fbookings">Sign in</a> to see your bookings.
        </p>
      </section>
    );
  return (
    <section aria-labelledby="bookings-title">
      <h1 id="bookings-title">My bookings</h1>
      {error && <p class="panel error-text">{error}</p>}
      {!data && !error && <p aria-busy="true">Loading your bookings…</p>}
      {data && data.bookings.length === 0 && (
        <p class="panel">
          No bookings yet. <a href="#/">See what's on</a>.
        </p>
      )}
      <ul class="bookings">
        {data?.bookings.map((b) => (
          <li key={b.id} class="panel">
            <h2>
              <a href={`#/bookings/${b.id}`}>{b.movieTitle}</a>
            </h2>
            <p class="muted">
              {b.hallName} · {when(b.startsAt)} · seats {b.seats.join(', ')} · {money(b.amount, b.currency)}
            </p>
            <p>
              <span class={`badge ${b.status}`}>{b.status === 'confirmed' ? 'Confirmed' : 'Cancelled'}</span> <RefundNote booking={b} payment={data.payments.get(b.paymentId)} />
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The booking's proof as a file the customer keeps: anyone can check it offline (the explorer, `cinema proof verify`). */
function ProofDownload({ booking }: { booking: Booking }) {
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const proof = await api.bookingProof(booking.id);
      const url = URL.createObjectURL(new Blob([JSON.stringify(proof, null, 2)], { type: 'application/json' }));
      const a = Object.assign(document.createElement('a'), { href: url, download: `booking-${reference(booking.id)}-proof.json` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      tell('Proof downloaded. Anyone can check it against the ledger in the explorer.');
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      <button type="button" class="secondary" onClick={download} disabled={busy}>
        {busy ? 'Preparing the proof…' : 'Download proof'}
      </button>{' '}
      <span class="muted small">
        that this booking and its payment are on the <a href="#/explorer">ledger</a>
      </span>
    </p>
  );
}

export function BookingPage({ id }: { id: string }) {
  const [booking, setBooking] = useState<Booking | null>(null);
  const [payment, setPayment] = useState<Payment | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  useEffect(() => {
    api.booking(id).then((r) => setBooking(r.booking), (err) => setError(say(err)));
  }, [id]);
  // after a cancellation, the refund arrives through the events: show it when it has
  useEffect(() => {
    if (!booking) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      const p = await api.payment(booking.paymentId).then((r) => r.payment, () => undefined);
      if (stopped) return;
      setPayment(p);
      if (booking.status === 'cancelled' && p?.status !== 'refunded') timer = setTimeout(poll, 700);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [booking?.id, booking?.status]);

  if (error) return <p class="panel error-text">{error}</p>;
  if (!booking) return <p aria-busy="true">Loading your booking…</p>;

  const cancel = async () => {
    setCancelling(true);
    try {
      setBooking((await api.cancelBooking(id)).booking);
      tell('Your booking is cancelled. The refund is on its way.');
    } catch (err) {
      failed(err);
    } finally {
      setCancelling(false);
      setAsking(false);
    }
  };

  return (
    <section aria-labelledby="booking-title" class="narrow">
      <h1 id="booking-title">{booking.status === 'confirmed' ? 'Booking confirmed' : 'Booking cancelled'}</h1>
      <div class="panel">
        <h2>{booking.movieTitle}</h2>
        <dl class="facts">
          <dt>Reference</dt>
          <dd>{booking.reference ?? reference(booking.id)}</dd>
          <dt>When</dt>
          <dd>{when(booking.startsAt)}</dd>
          <dt>Hall</dt>
          <dd>{booking.hallName}</dd>
          <dt>Seats</dt>
          <dd>{booking.seats.join(', ')}</dd>
          <dt>Paid</dt>
          <dd>{money(booking.amount, booking.currency)}</dd>
        </dl>
        <p>
          <RefundNote booking={booking} payment={payment} />
        </p>
        {booking.status === 'confirmed' &&
          (asking ? (
            <div class="confirm" role="group" aria-labelledby="cancel-question">
              <p id="cancel-question">
                Cancel this booking? You will be refunded {money(booking.amount, booking.currency)}.
              </p>
              <button type="button" class="danger" onClick={cancel} disabled={cancelling}>
                {cancelling ? 'Cancelling…' : 'Yes, cancel the booking'}
              </button>{' '}
              <button type="button" class="secondary" onClick={() => setAsking(false)}>
                Keep it
              </button>
            </div>
          ) : (
            <button type="button" class="secondary" onClick={() => setAsking(true)}>
              Cancel booking
            </button>
          ))}
      </div>
      <ProofDownload booking={booking} />
      <BookingTicketsPanel id={booking.id} status={booking.status} />
      <p>
        <a href="#/bookings">All my bookings</a>
      </p>
    </section>
  );
}
