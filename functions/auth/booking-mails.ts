// What the customer is told by mail about their bookings and payments, one mail per fact:
// each mail's key is the event that carried the fact, so no redelivery sends it twice.
import type { Envelope } from '../../layers/events/envelope';
import { bookingCancelledMailData, bookingConfirmedMailData, paymentFailedData } from '../../layers/contracts/events';
import type { Mail } from './mailer';

const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`;
// the cinema's mails give times in UTC, to the minute: "Fri, 04 Dec 2026 19:13 UTC"
const when = (iso: string) => new Date(iso).toUTCString().replace(/:\d\d GMT$/, ' UTC');
const showing = (s?: { movieTitle: string; hallName: string; startsAt: string }) => (s ? `${s.movieTitle}, ${s.hallName}, ${when(s.startsAt)}` : 'your showtime');

/** The mail an event makes for its customer, or none; `to` is the customer's address. */
export function bookingMail(event: Envelope, to: string): Mail | undefined {
  const key = `event:${event.id}`;
  if (event.type === 'booking.confirmed') {
    const d = bookingConfirmedMailData.parse(event.data);
    const ref = d.reference ?? d.bookingId.slice(0, 8);
    const tickets = (d.tickets ?? []).map((t) => `Seat ${t.seat}\n  ticket code: ${t.code}`).join('\n\n');
    return {
      to,
      key,
      subject: `Your tickets: ${d.showtime?.movieTitle ?? 'booking'} — ${ref}`,
      body:
        `Your booking ${ref} is confirmed: ${showing(d.showtime)}, seats ${d.seats.join(', ')}, paid ${money(d.amount, d.currency)}.\n\n` +
        `Show your tickets at the door: each seat's QR code is on your booking's page in the cinema app (and printable from there). ` +
        `At the door, the booking reference ${ref} and the seat find your ticket too.\n\n${tickets}`,
    };
  }
  if (event.type === 'booking.cancelled') {
    const d = bookingCancelledMailData.parse(event.data);
    const ref = d.reference ?? d.bookingId.slice(0, 8);
    const refund = `${money(d.amount, d.currency)} is refunded to the card you paid with.`;
    if (d.reason === 'the showtime was cancelled') {
      return {
        to,
        key,
        subject: `The cinema cancelled ${d.showtime?.movieTitle ?? 'your showtime'} — ${ref} refunded`,
        body: `We are sorry: the cinema cancelled ${showing(d.showtime)}. Your booking ${ref} (seats ${d.seats.join(', ')}) is cancelled and its tickets are no longer valid. ${refund}`,
      };
    }
    return {
      to,
      key,
      subject: `Booking ${ref} cancelled and refunded`,
      body: `Your booking ${ref} for ${showing(d.showtime)} (seats ${d.seats.join(', ')}) is cancelled (${d.reason}); its tickets are no longer valid. ${refund}`,
    };
  }
  if (event.type === 'payment.failed') {
    const d = paymentFailedData.parse(event.data);
    return {
      to,
      key,
      subject: 'Your payment was declined',
      body: `Your payment was declined (${d.reason}), so nothing was charged and no booking was made. Your seats stay held until the hold expires: try again with another card from your cart.`,
    };
  }
  return undefined;
}
