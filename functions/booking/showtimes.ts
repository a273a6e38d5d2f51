// Booking's copy of the catalog's showtimes, kept from showtime.* events: the seats that
// exist and their prices travel in the event, so booking never reads catalog's database.
import type pg from 'pg';
import type { Envelope } from '../../layers/events/envelope';
import { showtimeCancelledData, showtimeScheduledData } from '../catalog/events';
import { cancelShowtimeBookings } from './bookings';

export async function applyShowtimeEvent(tx: pg.PoolClient, event: Envelope): Promise<void> {
  if (event.type === 'showtime.scheduled') {
    const d = showtimeScheduledData.parse(event.data);
    // a late copy of a scheduled event must not revive a showtime already cancelled
    await tx.query(
      `INSERT INTO showtimes (id, movie_id, movie_title, hall_name, starts_at, currency, status, seats)
       VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7)
       ON CONFLICT (id) DO NOTHING`,
      [d.showtimeId, d.movieId, d.movieTitle, d.hallName, d.startsAt, d.currency, d.seats],
    );
  } else if (event.type === 'showtime.cancelled') {
    const d = showtimeCancelledData.parse(event.data);
    const known = await tx.query('SELECT 1 FROM showtimes WHERE id = $1', [d.showtimeId]);
    // Cancelled before booking heard it was scheduled: remember the cancellation, so that a
    // late showtime.scheduled (ON CONFLICT DO NOTHING) cannot bring it back.
    if (!known.rowCount) {
      await tx.query(
        `INSERT INTO showtimes (id, movie_id, movie_title, hall_name, starts_at, currency, status, seats)
         VALUES ($1, '00000000-0000-0000-0000-000000000000', '', '', now(), 'EUR', 'cancelled', '{}')`,
        [d.showtimeId],
      );
      return;
    }
    await cancelShowtimeBookings(tx, d.showtimeId, event.correlationId);
  }
}
