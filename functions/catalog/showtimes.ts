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
import { onLocalDate } from './local-date';
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

export interface ScheduleOptions {
  turnaroundMinutes: number;
  currency: string;
  now?: Date;
  correlationId?: string;
}

/** A showtime of the hall that a requested slot overlaps. */
export interface Clash {
  slot: { startsAt: string; endsAt: string };
  showtime: { id: string; movieTitle: string; startsAt: string; endsAt: string };
}

/** At most this many showtimes in one series request. */
export const MAX_SERIES_SHOWTIMES = 200;

const clashText = (c: Clash) => `"${c.showtime.movieTitle}" (${c.showtime.id}) from ${c.showtime.startsAt} to ${c.showtime.endsAt}`;

/** Schedules a showtime and announces it (showtime.scheduled, with its seats and prices) in one transaction. */
export async function scheduleShowtime(pool: pg.Pool, input: ScheduleInput, opts: ScheduleOptions): Promise<Showtime> {
  const [showtime] = await scheduleAll(pool, { ...input, starts: [input.startsAt] }, opts, (hallName, clashes) => {
    // the showtime already there, not the slot asked for: that is what the operator must move
    return new Conflict(`Hall ${hallName} already has a showtime then: ${clashText(clashes[0])}`, { clashes });
  });
  return showtime;
}

/**
 * Schedules a series of showtimes of one movie in one hall, all or nothing: one that clashes
 * with a showtime of the hall refuses the whole series, naming every clashing slot and what it
 * clashes with. Each is announced as showtime.scheduled, as a single one is.
 */
export async function scheduleSeries(pool: pg.Pool, input: Omit<ScheduleInput, 'startsAt'> & { starts: string[] }, opts: ScheduleOptions): Promise<Showtime[]> {
  return scheduleAll(pool, input, opts, (hallName, clashes) => {
    const slots = new Set(clashes.map((c) => c.slot.startsAt)).size;
    const named = clashes.slice(0, 5).map((c) => `${c.slot.startsAt} clashes with ${clashText(c)}`);
    const more = clashes.length > named.length ? `; and ${clashes.length - named.length} more (see details)` : '';
    return new Conflict(`${slots} of the series' ${input.starts.length} showtimes clash with showtimes of Hall ${hallName}, so none was scheduled: ${named.join('; ')}${more}`, { clashes });
  });
}

/** Two slots of one series that overlap each other (the movie is longer than the gap between them), if any. */
export function seriesOverlap(slots: { startsAt: Date; endsAt: Date }[]): [number, number] | undefined {
  const order = slots.map((_, i) => i).sort((a, b) => slots[a].startsAt.getTime() - slots[b].startsAt.getTime());
  for (let k = 1; k < order.length; k++) {
    if (slots[order[k]].startsAt.getTime() < slots[order[k - 1]].endsAt.getTime()) return [order[k - 1], order[k]];
  }
  return undefined;
}

async function scheduleAll(
  pool: pg.Pool,
  input: Omit<ScheduleInput, 'startsAt'> & { starts: string[] },
  opts: ScheduleOptions,
  refusal: (hallName: string, clashes: Clash[]) => Conflict,
): Promise<Showtime[]> {
  const now = (opts.now ?? new Date()).getTime();
  const movie = await getMovie(pool, input.movieId).catch(() => {
    throw new RuleBroken('movieId does not name a movie');
  });
  const hall = await getHall(pool, input.hallId).catch(() => {
    throw new RuleBroken('hallId does not name a hall');
  });
  for (const category of Object.keys(input.prices ?? {})) {
    if (!(category in hall.categories)) throw new RuleBroken(`Hall ${hall.name} has no seat category "${category}"`);
  }
  const slots = input.starts.map((s) => {
    const startsAt = new Date(s);
    if (startsAt.getTime() <= now) throw new RuleBroken(input.starts.length === 1 ? 'startsAt must be in the future' : `Every showtime must start in the future; ${startsAt.toISOString()} does not`);
    const endsAt = new Date(startsAt.getTime() + (movie.durationMinutes + opts.turnaroundMinutes) * 60_000);
    // the schema checked the start; the whole span is checked by the rule booking applies too
    const problem = showtimeSpanProblem(startsAt.toISOString(), endsAt.toISOString());
    if (problem) throw new RuleBroken(problem);
    return { id: randomUUID(), startsAt, endsAt };
  });
  const overlap = seriesOverlap(slots);
  if (overlap) {
    const [a, b] = overlap.map((i) => slots[i]);
    throw new RuleBroken(`The series overlaps itself: the showtime at ${a.startsAt.toISOString()} runs until ${a.endsAt.toISOString()}, after ${b.startsAt.toISOString()}`);
  }
  const prices: Record<string, number> = { ...hall.categories, ...input.prices };
  const hallPlaces = await hallSeats(pool, hall.id);
  const seats = Object.fromEntries(
    hallPlaces.map((s) => [s.seatId, { category: s.category, price: prices[s.category], row: s.rowLabel, rowIndex: s.rowIndex, position: s.position, accessible: s.accessible }]),
  );
  const focalPoint = focalPointOf(hallPlaces, hall.focalPoint);
  try {
    await withTransaction(pool, async (tx) => {
      // shared locks: an archiving of the movie or hall waits for this, or this sees it
      const movieRow = (await tx.query('SELECT archived_at FROM movies WHERE id = $1 FOR SHARE', [movie.id])).rows[0];
      const hallRow = (await tx.query('SELECT archived_at FROM halls WHERE id = $1 FOR SHARE', [hall.id])).rows[0];
      if (movieRow?.archived_at) throw new Conflict(`The movie "${movie.title}" is archived and takes no new showtimes`);
      if (hallRow?.archived_at) throw new Conflict(`Hall ${hall.name} is archived and takes no new showtimes`);
      const clashes = await clashesIn(tx, hall.id, slots);
      if (clashes.length) throw refusal(hall.name, clashes);
      await tx.query(
        `INSERT INTO showtimes (id, movie_id, hall_id, starts_at, ends_at, prices)
         SELECT id, $2, $3, starts_at, ends_at, $4 FROM unnest($1::uuid[], $5::timestamptz[], $6::timestamptz[]) AS slot(id, starts_at, ends_at)`,
        [slots.map((s) => s.id), movie.id, hall.id, prices, slots.map((s) => s.startsAt), slots.map((s) => s.endsAt)],
      );
      for (const slot of slots) {
        await enqueue(
          tx,
          showtimeScheduled(
            {
              showtimeId: slot.id,
              movieId: movie.id,
              movieTitle: movie.title,
              hallId: hall.id,
              hallName: hall.name,
              startsAt: slot.startsAt.toISOString(),
              endsAt: slot.endsAt.toISOString(),
              currency: opts.currency,
              seats,
              focalPoint,
            },
            opts.correlationId,
          ),
        );
      }
    });
  } catch (err) {
    // a showtime scheduled meanwhile, between the check and the insert: the database refused it
    if (pgCode(err) === PgCode.exclusionViolation) {
      const clashes = await clashesIn(pool, hall.id, slots);
      throw clashes.length ? refusal(hall.name, clashes) : new Conflict(`Hall ${hall.name} had a showtime scheduled then meanwhile; try again`);
    }
    throw err;
  }
  const { rows } = await pool.query(`${select} WHERE s.id = ANY($1::uuid[]) ORDER BY s.starts_at`, [slots.map((s) => s.id)]);
  return rows.map((r) => toShowtime(r, opts.currency));
}

/** The scheduled showtimes of the hall each slot overlaps, slot by slot. */
async function clashesIn(db: Queryable, hallId: string, slots: { startsAt: Date; endsAt: Date }[]): Promise<Clash[]> {
  const { rows } = await db.query(
    `SELECT slot.starts_at AS slot_starts_at, slot.ends_at AS slot_ends_at, s.id, m.title, s.starts_at, s.ends_at
       FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS slot(starts_at, ends_at, i)
       JOIN showtimes s ON s.hall_id = $1 AND s.status = 'scheduled' AND tstzrange(s.starts_at, s.ends_at) && tstzrange(slot.starts_at, slot.ends_at)
       JOIN movies m ON m.id = s.movie_id
      ORDER BY slot.starts_at, s.starts_at`,
    [hallId, slots.map((s) => s.startsAt), slots.map((s) => s.endsAt)],
  );
  return rows.map((r) => ({
    slot: { startsAt: r.slot_starts_at.toISOString(), endsAt: r.slot_ends_at.toISOString() },
    showtime: { id: r.id, movieTitle: r.title, startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString() },
  }));
}

/**
 * The starts of a series: every day from `from` to `to` (inclusive) at each of `times`, read
 * in the cinema's time zone (PostgreSQL knows its daylight-saving rules).
 */
export async function seriesStarts(db: Queryable, series: { from: string; to: string; times: string[] }, timeZone: string): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT (day::date + t::time) AT TIME ZONE $4 AS starts_at
       FROM generate_series($1::date, $2::date, interval '1 day') AS day, unnest($3::text[]) AS t
      ORDER BY 1`,
    [series.from, series.to, series.times, timeZone],
  );
  return rows.map((r) => r.starts_at.toISOString());
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
  if (f.date) where.push(onLocalDate('s.starts_at', f.date, opts.timeZone, arg));
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
