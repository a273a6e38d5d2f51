// Showtimes: a movie in a hall at a time, with its prices fixed when scheduled. The
// database itself refuses two scheduled showtimes that overlap in one hall.
import { randomUUID } from 'node:crypto';
import { Conflict, NotFound, RuleBroken } from '../../layers/core/errors';
import type pg from 'pg';
import { PgCode, pgCode, withTransaction, type Queryable } from '../../layers/core/db';
import { enqueue } from '../../layers/events/outbox';
import { showtimeCancelled, showtimeScheduled } from '../../layers/contracts/events';
import { showtimeSpanProblem } from '../../layers/contracts/showtime-time';
import { getMovie } from './movies';
import { getHall, hallSeats } from './halls';
import { focalPointOf, seatMap, type SeatMap, type SeatStatus } from './layout';

export interface Showtime {
  id: string;
  movieId: string;
  movieTitle: string;
  hallId: string;
  hallName: string;
  startsAt: string;
  endsAt: string;
  prices: Record<string, number>;
  currency: string;
  status: 'scheduled' | 'cancelled';
}

const select = `SELECT s.id, s.movie_id, m.title AS movie_title, s.hall_id, h.name AS hall_name, s.starts_at, s.ends_at, s.prices, s.status
  FROM showtimes s JOIN movies m ON m.id = s.movie_id JOIN halls h ON h.id = s.hall_id`;

const toShowtime = (r: any, currency: string): Showtime => ({
  id: r.id,
  movieId: r.movie_id,
  movieTitle: r.movie_title,
  hallId: r.hall_id,
  hallName: r.hall_name,
  startsAt: r.starts_at.toISOString(),
  endsAt: r.ends_at.toISOString(),
  prices: r.prices,
  currency,
  status: r.status,
});

export interface ScheduleInput {
  movieId: string;
  hallId: string;
  startsAt: string;
  /** per-category price overrides in cents; the hall's prices otherwise */
  prices?: Record<string, number>;
}

/** Schedules a showtime and announces it (showtime.scheduled, with its seats and prices) in one transaction. */
export async function scheduleShowtime(
  pool: pg.Pool,
  input: ScheduleInput,
  opts: { turnaroundMinutes: number; currency: string; now?: Date; correlationId?: string },
): Promise<Showtime> {
  const startsAt = new Date(input.startsAt);
  if (startsAt.getTime() <= (opts.now ?? new Date()).getTime()) throw new RuleBroken('startsAt must be in the future');
  const movie = await getMovie(pool, input.movieId).catch(() => {
    throw new RuleBroken('movieId does not name a movie');
  });
  const hall = await getHall(pool, input.hallId).catch(() => {
    throw new RuleBroken('hallId does not name a hall');
  });
  for (const category of Object.keys(input.prices ?? {})) {
    if (!(category in hall.categories)) throw new RuleBroken(`Hall ${hall.name} has no seat category "${category}"`);
  }
  const prices: Record<string, number> = { ...hall.categories, ...input.prices };
  const endsAt = new Date(startsAt.getTime() + (movie.durationMinutes + opts.turnaroundMinutes) * 60_000);
  // the schema checked the start; the whole span is checked by the rule booking applies too
  const problem = showtimeSpanProblem(startsAt.toISOString(), endsAt.toISOString());
  if (problem) throw new RuleBroken(problem);
  const id = randomUUID();
  const hallPlaces = await hallSeats(pool, hall.id);
  const seats = Object.fromEntries(
    hallPlaces.map((s) => [s.seatId, { category: s.category, price: prices[s.category], row: s.rowLabel, rowIndex: s.rowIndex, position: s.position, accessible: s.accessible }]),
  );
  const focalPoint = focalPointOf(hallPlaces, hall.focalPoint);
  try {
    await withTransaction(pool, async (tx) => {
      await tx.query('INSERT INTO showtimes (id, movie_id, hall_id, starts_at, ends_at, prices) VALUES ($1, $2, $3, $4, $5, $6)', [
        id,
        movie.id,
        hall.id,
        startsAt,
        endsAt,
        prices,
      ]);
      await enqueue(
        tx,
        showtimeScheduled(
          {
            showtimeId: id,
            movieId: movie.id,
            movieTitle: movie.title,
            hallId: hall.id,
            hallName: hall.name,
            startsAt: startsAt.toISOString(),
            endsAt: endsAt.toISOString(),
            currency: opts.currency,
            seats,
            focalPoint,
          },
          opts.correlationId,
        ),
      );
    });
  } catch (err) {
    if (pgCode(err) === PgCode.exclusionViolation) {
      throw new Conflict(`Hall ${hall.name} already has a showtime between ${startsAt.toISOString()} and ${endsAt.toISOString()}`);
    }
    throw err;
  }
  return getShowtime(pool, id, opts.currency);
}

export async function getShowtime(db: Queryable, id: string, currency: string): Promise<Showtime> {
  const { rows } = await db.query(`${select} WHERE s.id = $1`, [id]);
  if (!rows[0]) throw new NotFound('Showtime');
  return toShowtime(rows[0], currency);
}

export interface ShowtimeFilter {
  movieId?: string;
  hallId?: string;
  date?: string;
  page: number;
  pageSize: number;
}

export async function listShowtimes(db: Queryable, f: ShowtimeFilter, opts: { timeZone: string; currency: string }) {
  const where = [`s.status = 'scheduled'`, 's.starts_at > now()'];
  const args: unknown[] = [];
  const arg = (v: unknown) => `$${args.push(v)}`;
  if (f.movieId) where.push(`s.movie_id = ${arg(f.movieId)}`);
  if (f.hallId) where.push(`s.hall_id = ${arg(f.hallId)}`);
  if (f.date) where.push(`(s.starts_at AT TIME ZONE ${arg(opts.timeZone)})::date = ${arg(f.date)}::date`);
  const clause = `WHERE ${where.join(' AND ')}`;
  const total = (await db.query(`SELECT count(*) AS n FROM showtimes s ${clause}`, args)).rows[0].n;
  const { rows } = await db.query(`${select} ${clause} ORDER BY s.starts_at, h.name LIMIT ${arg(f.pageSize)} OFFSET ${arg((f.page - 1) * f.pageSize)}`, args);
  return { items: rows.map((r) => toShowtime(r, opts.currency)), page: f.page, pageSize: f.pageSize, total };
}

/** Cancels a showtime and announces it, so booking refunds its bookings; the hall's slot is free again. */
export async function cancelShowtime(pool: pg.Pool, id: string, currency: string, correlationId?: string): Promise<Showtime> {
  const changed = await withTransaction(pool, async (tx) => {
    const { rowCount } = await tx.query(`UPDATE showtimes SET status = 'cancelled' WHERE id = $1 AND status = 'scheduled'`, [id]);
    if (rowCount) await enqueue(tx, showtimeCancelled({ showtimeId: id, reason: 'cancelled by the cinema' }, correlationId));
    return rowCount === 1;
  });
  const showtime = await getShowtime(pool, id, currency);
  if (!changed) throw new Conflict('The showtime is already cancelled');
  return showtime;
}

export async function showtimeSeatMap(db: Queryable, id: string, currency: string): Promise<Showtime & { seatMap: SeatMap }> {
  const showtime = await getShowtime(db, id, currency);
  const seats = await hallSeats(db, showtime.hallId);
  const { rows } = await db.query('SELECT seat_id, status FROM showtime_seats WHERE showtime_id = $1', [id]);
  const statuses = new Map<string, SeatStatus>(rows.map((r) => [r.seat_id, r.status]));
  return { ...showtime, seatMap: seatMap(seats, showtime.prices, statuses) };
}
