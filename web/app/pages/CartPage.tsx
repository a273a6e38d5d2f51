// The cart as the server computes it: the seats held per showtime, their prices, subtotals
// and the total. Checking out freezes one showtime's seats into an amount, then a payment.
import { useEffect, useState } from 'preact/hooks';
import { api, money } from '../../shared/api';
import { Countdown } from '../components/Countdown';
import { cart, failed, go, paymentPage, refreshCart, signedIn, tell } from '../state';
import { when } from '../format';

export function CartPage() {
  const [working, setWorking] = useState<string | null>(null);
  useEffect(() => void refreshCart(), []);
  if (!signedIn.value)
    return (
      <section>
        <h1>Your cart</h1>
        <p class="panel">
          <a href="#/signin?next=%23%2Fcart">Sign in</a> to see the seats you hold.
        </p>
      </section>
    );
  const c = cart.value;

  const checkout = async (showtimeId: string) => {
    setWorking(showtimeId);
    try {
      const { checkout } = await api.checkout(showtimeId);
      const started = await api.startPayment(checkout.id);
      // these holds are paid already: nothing to pay, the payment's page says how it went
      if (!started.nextAction) return go(`#/payments/${started.payment.id}`);
      paymentPage.value = { paymentId: started.payment.id, pageUrl: started.nextAction.pageUrl ?? `/test-provider/pay/${started.payment.providerSessionId}` };
      go(`#/checkout/${started.payment.id}`);
    } catch (err) {
      failed(err);
      await refreshCart();
    } finally {
      setWorking(null);
    }
  };

  const release = async (showtimeId: string, seatId: string) => {
    try {
      await api.release(showtimeId, seatId);
      tell(`Seat ${seatId} released.`);
    } catch (err) {
      failed(err);
    }
    await refreshCart();
  };

  return (
    <section aria-labelledby="cart-title">
      <h1 id="cart-title">Your cart</h1>
      {!c && <p aria-busy="true">Loading your cart…</p>}
      {c && c.showtimes.length === 0 && (
        <p class="panel">
          Your cart is empty. <a href="#/">Find a showtime</a> and pick your seats.
        </p>
      )}
      {c?.showtimes.map((s) => (
        <article key={s.showtimeId} class="panel" aria-labelledby={`cart-${s.showtimeId}`}>
          <h2 id={`cart-${s.showtimeId}`}>{s.movieTitle}</h2>
          <p class="muted">
            {s.hallName} · {when(s.startsAt)} · <a href={`#/showtimes/${s.showtimeId}`}>change seats</a>
          </p>
          <table class="lines">
            <caption class="visually-hidden">Seats held for {s.movieTitle}</caption>
            <thead>
              <tr>
                <th scope="col">Seat</th>
                <th scope="col">Category</th>
                <th scope="col" class="num">
                  Price
                </th>
                <th scope="col">
                  <span class="visually-hidden">Release</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {s.seats.map((seat) => (
                <tr key={seat.seatId}>
                  <td>{seat.seatId}</td>
                  <td>{seat.category}</td>
                  <td class="num">{money(seat.price, s.currency)}</td>
                  <td class="num">
                    <button type="button" class="link" onClick={() => release(s.showtimeId, seat.seatId)} aria-label={`Release seat ${seat.seatId}`}>
                      Release
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Subtotal
                </th>
                <td class="num">
                  <strong>{money(s.subtotal, s.currency)}</strong>
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
          <p>
            <Countdown key={s.expiresAt} expiresAt={s.expiresAt} onExpired={refreshCart} />
          </p>
          <button type="button" onClick={() => checkout(s.showtimeId)} disabled={working !== null}>
            {working === s.showtimeId ? 'Checking out…' : `Check out ${money(s.subtotal, s.currency)}`}
          </button>
        </article>
      ))}
      {c && c.showtimes.length > 1 && (
        <p class="total panel">
          Cart total <strong>{money(c.total, c.currency)}</strong> (each showtime is paid on its own)
        </p>
      )}
    </section>
  );
}
