// Keeps the seat map read model in step with booking: sold seats on booking.confirmed, free
// again on booking.cancelled. Each event is applied once (inbox), and applying is itself
// idempotent, so a redelivery cannot mark a seat twice.
import type { Queryable } from '../../layers/core/db';
import type { Envelope } from '../../layers/events/envelope';
import { bookingCancelledData, bookingConfirmedData } from '../../layers/contracts/events';

export async function applyBookingToSeatMap(tx: Queryable, event: Envelope): Promise<void> {
  if (event.type === 'booking.confirmed') {
    const d = bookingConfirmedData.parse(event.data);
    await tx.query(
      `INSERT INTO showtime_seats (showtime_id, seat_id, status) SELECT $1, unnest($2::text[]), 'sold'
       ON CONFLICT (showtime_id, seat_id) DO UPDATE SET status = 'sold', updated_at = now()`,
      [d.showtimeId, d.seats],
    );
  } else if (event.type === 'booking.cancelled') {
    const d = bookingCancelledData.parse(event.data);
    await tx.query(`DELETE FROM showtime_seats WHERE showtime_id = $1 AND seat_id = ANY($2::text[])`, [d.showtimeId, d.seats]);
  }
}
