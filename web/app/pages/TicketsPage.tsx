// A booking's tickets: one per seat with its QR code and the booking's reference, on the
// booking's page and on a page of their own made for printing.
import { useEffect, useState } from 'preact/hooks';
import { api, type BookingTickets, type Ticket } from '../../shared/api';
import { say } from '../errors';
import { when } from '../format';

function TicketCard({ ticket, booking }: { ticket: Ticket; booking: BookingTickets['booking'] }) {
  return (
    <li class="ticket panel" aria-label={`Ticket for seat ${ticket.seat}`}>
      {ticket.qrSvg ? (
        // the server's SVG, made by the qrcode library from the ticket's code
        <div class="qr" role="img" aria-label={`QR code of the ticket for seat ${ticket.seat}`} dangerouslySetInnerHTML={{ __html: ticket.qrSvg }} />
      ) : (
        <p class="badge cancelled">Revoked{ticket.revokeReason ? `: ${ticket.revokeReason}` : ''}</p>
      )}
      <div>
        <p class="ticket-seat">Seat {ticket.seat}</p>
        <p>
          Reference <strong class="ticket-ref">{ticket.reference}</strong>
        </p>
        <p class="muted">
          {booking.movieTitle} · {booking.hallName} · {when(booking.startsAt)}
        </p>
      </div>
    </li>
  );
}

export function useTickets(id: string, status?: string) {
  const [data, setData] = useState<BookingTickets | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.bookingTickets(id).then(setData, (err) => setError(say(err)));
  }, [id, status]);
  return { data, error };
}

/** The tickets on the booking's page. */
export function BookingTicketsPanel({ id, status }: { id: string; status: string }) {
  const { data, error } = useTickets(id, status);
  if (error) return <p class="panel error-text">{error}</p>;
  if (!data) return <p aria-busy="true">Loading your tickets…</p>;
  const valid = data.tickets.filter((t) => t.status === 'valid');
  return (
    <section aria-labelledby="tickets-title">
      <h2 id="tickets-title">Your tickets</h2>
      {valid.length ? (
        <>
          <p>Show one QR code per seat at the door, or give the reference and the seat.</p>
          <ul class="tickets">
            {valid.map((t) => (
              <TicketCard key={t.id} ticket={t} booking={data.booking} />
            ))}
          </ul>
          <p>
            <a href={`#/bookings/${id}/tickets`}>Printable tickets</a>
          </p>
        </>
      ) : (
        <p class="panel">This booking has no valid tickets: they were revoked when it was cancelled.</p>
      )}
    </section>
  );
}

/** The printable page: every valid ticket, nothing else on paper. */
export function PrintableTicketsPage({ id }: { id: string }) {
  const { data, error } = useTickets(id);
  if (error) return <p class="panel error-text">{error}</p>;
  if (!data) return <p aria-busy="true">Loading your tickets…</p>;
  const valid = data.tickets.filter((t) => t.status === 'valid');
  return (
    <section aria-labelledby="print-title" class="printable">
      <h1 id="print-title">
        Tickets · {data.booking.movieTitle} · {data.booking.reference}
      </h1>
      <p class="no-print">
        <button type="button" onClick={() => window.print()}>
          Print tickets
        </button>{' '}
        <a href={`#/bookings/${id}`}>Back to the booking</a>
      </p>
      {valid.length ? (
        <ul class="tickets">
          {valid.map((t) => (
            <TicketCard key={t.id} ticket={t} booking={data.booking} />
          ))}
        </ul>
      ) : (
        <p class="panel">No valid tickets: this booking was cancelled.</p>
      )}
    </section>
  );
}
