// Booking's copy of the catalog's showtimes, kept from showtime.* events: the seats that
// exist and their prices travel in the event, so booking never reads catalog's database.
import type pg from 'pg';
import type { Envelope } from '../../layers/events/envelope';
import { showtimeCancelledData, showtimeScheduledData } from '../../layers/contracts/events';
import { cancelShowtimeBookings } from './bookings';

export async function applyShowtimeEvent(tx: pg.PoolClient, event: Envelope): Promise<void> {
  if (event.type === 'showtime.scheduled') {
    const d = showtimeScheduledData.parse(event.data);
    // a late copy of a scheduled event must not revive a showtime already cancelled
    const created = await tx.query(
      `INSERT INTO showtimes (id, movie_id, movie_title, hall_name, starts_at, currency, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'scheduled')
       ON CONFLICT (id) DO NOTHING`,
      [d.showtimeId, d.movieId, d.movieTitle, d.hallName, d.startsAt, d.currency],
    );
    if (!created.rowCount) return;
    const seats = Object.entries(d.seats);
    await tx.query(
      `INSERT INTO showtime_seats (showtime_id, seat_id, category, price) SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[])`,
      [d.showtimeId, seats.map(([id]) => id), seats.map(([, s]) => s.category), seats.map(([, s]) => s.price)],
    );
  } else if (event.type === 'showtime.cancelled') {
    const d = showtimeCancelledData.parse(event.data);
    const known = await tx.query('SELECT 1 FROM showtimes WHERE id = $1', [d.showtimeId]);
    // Cancelled before booking heard it was scheduled: remember the cancellation, so that a
    // late showtime.scheduled (ON CONFLICT DO NOTHING) cannot bring it back.
    if (!known.rowCount) {
      await tx.query(
        `INSERT INTO showtimes (id, movie_id, movie_title, hall_name, starts_at, currency, status)
         VALUES ($1, '00000000-0000-0000-0000-000000000000', '', '', now(), 'EUR', 'cancelled')`,
        [d.showtimeId],
      );
      return;
    }
    await cancelShowtimeBookings(tx, d.showtimeId, event.correlationId);
  }
}
