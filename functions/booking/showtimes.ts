// Booking's copy of the catalog's showtimes, kept from showtime.* events: the seats that
// exist and their prices travel in the event, so booking never reads catalog's database.
import type pg from 'pg';
import type { Envelope } from '../../layers/events/envelope';
import { showtimeCancelledData, showtimeScheduledData } from '../../layers/contracts/events';
import { cancelShowtimeBookings } from './bookings';

/** Where a seat is; an event from before places were carried gives only its id ("C12"). */
function placeOf(seatId: string, s: { row?: string; rowIndex?: number; position?: number }): { row: string; rowIndex: number; position: number } {
  if (s.row !== undefined && s.rowIndex !== undefined && s.position !== undefined) return { row: s.row, rowIndex: s.rowIndex, position: s.position };
  const [, row, number] = /^([A-Z]+)([0-9]+)$/.exec(seatId) ?? [, 'A', '1'];
  // rows A, B, … Z, AA…: their order from the screen
  const rowIndex = [...row!].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 64), 0) - 1;
  return { row: row!, rowIndex, position: Number(number) - 1 };
}

export async function applyShowtimeEvent(tx: pg.PoolClient, event: Envelope): Promise<void> {
  if (event.type === 'showtime.scheduled') {
    const d = showtimeScheduledData.parse(event.data);
    // a late copy of a scheduled event must not revive a showtime already cancelled
    const created = await tx.query(
      `INSERT INTO showtimes (id, movie_id, movie_title, hall_name, starts_at, currency, status, focal_row, focal_position)
       VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $8)
       ON CONFLICT (id) DO NOTHING`,
      [d.showtimeId, d.movieId, d.movieTitle, d.hallName, d.startsAt, d.currency, d.focalPoint?.rowIndex ?? null, d.focalPoint?.position ?? null],
    );
    if (!created.rowCount) return;
    const seats = Object.entries(d.seats).map(([id, s]) => ({ id, ...s, ...placeOf(id, s) }));
    await tx.query(
      `INSERT INTO showtime_seats (showtime_id, seat_id, category, price, row_label, row_index, position, accessible)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::int[], $8::bool[])`,
      [
        d.showtimeId,
        seats.map((s) => s.id),
        seats.map((s) => s.category),
        seats.map((s) => s.price),
        seats.map((s) => s.row),
        seats.map((s) => s.rowIndex),
        seats.map((s) => s.position),
        seats.map((s) => s.accessible ?? false),
      ],
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
