// Keeps the seat map read model in step with booking: sold seats on booking.confirmed, free
// again on booking.cancelled. Each event is applied once (inbox), and applying is itself
// idempotent and independent of the order events arrive in (a retried event comes late): a
// seat is sold by the latest sale to reach it, a cancellation frees only the seats its own
// booking still has, and a sale of a booking already cancelled is not applied.
import type { Queryable } from '../../layers/core/db';
import type { Envelope } from '../../layers/events/envelope';
import { bookingCancelledData, bookingConfirmedData } from '../../layers/contracts/events';

export async function applyBookingToSeatMap(tx: Queryable, event: Envelope): Promise<void> {
  if (process.env.SOAK_SABOTAGE?.split(',').includes('seat-map-arrival-order')) return applyInArrivalOrder(tx, event);
  if (event.type === 'booking.confirmed') {
    const d = bookingConfirmedData.parse(event.data);
    await tx.query(
      `INSERT INTO showtime_seats (showtime_id, seat_id, status, booking_id, sold_at)
       SELECT $1, seat, 'sold', $3, $4 FROM unnest($2::text[]) AS seat
        WHERE NOT EXISTS (SELECT 1 FROM seat_map_cancelled_bookings WHERE booking_id = $3)
       ON CONFLICT (showtime_id, seat_id) DO UPDATE SET status = 'sold', booking_id = EXCLUDED.booking_id, sold_at = EXCLUDED.sold_at, updated_at = now()
        WHERE showtime_seats.sold_at IS NULL OR showtime_seats.sold_at < EXCLUDED.sold_at`,
      [d.showtimeId, d.seats, d.bookingId, event.occurredAt],
    );
  } else if (event.type === 'booking.cancelled') {
    const d = bookingCancelledData.parse(event.data);
    await tx.query(`INSERT INTO seat_map_cancelled_bookings (booking_id) VALUES ($1) ON CONFLICT DO NOTHING`, [d.bookingId]);
    await tx.query(`DELETE FROM showtime_seats WHERE showtime_id = $1 AND seat_id = ANY($2::text[]) AND (booking_id = $3 OR booking_id IS NULL)`, [d.showtimeId, d.seats, d.bookingId]);
  }
}

/** The seat map as it was before it minded the order: a broken build on purpose, for the soak's test that shows its checker can fail. */
async function applyInArrivalOrder(tx: Queryable, event: Envelope): Promise<void> {
  if (event.type === 'booking.confirmed') {
    const d = bookingConfirmedData.parse(event.data);
    await tx.query(
      `INSERT INTO showtime_seats (showtime_id, seat_id, status) SELECT $1, unnest($2::text[]), 'sold'
       ON CONFLICT (showtime_id, seat_id) DO UPDATE SET status = 'sold', booking_id = NULL, sold_at = NULL, updated_at = now()`,
      [d.showtimeId, d.seats],
    );
  } else if (event.type === 'booking.cancelled') {
    const d = bookingCancelledData.parse(event.data);
    await tx.query(`DELETE FROM showtime_seats WHERE showtime_id = $1 AND seat_id = ANY($2::text[])`, [d.showtimeId, d.seats]);
  }
}
