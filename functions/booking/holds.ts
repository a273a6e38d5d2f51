// The seat rule. One row per (showtime, seat) under a primary key is the only arbiter: a
// hold is that row with an expiry, and taking a seat — free, or held by someone whose hold
// has expired — is one atomic upsert. Nothing here reads and then decides to write.
import type pg from 'pg';
import { conflict, notFound, unprocessable } from '../../layers/core/errors';
import { withTransaction, type Queryable } from '../../layers/core/db';
import type { HoldPolicy } from './config';

export interface HeldSeat {
  seatId: string;
  category: string;
  price: number;
  expiresAt: string;
}

export interface CartShowtime {
  showtimeId: string;
  movieTitle: string;
  hallName: string;
  startsAt: string;
  currency: string;
  seats: HeldSeat[];
  subtotal: number;
  expiresAt: string;
}

export interface Cart {
  showtimes: CartShowtime[];
  total: number;
  currency: string | null;
}

interface ShowtimeCopy {
  id: string;
  starts_at: Date;
  status: string;
  seats: Record<string, { category: string; price: number }>;
}

async function bookableShowtime(db: Queryable, showtimeId: string): Promise<ShowtimeCopy> {
  const { rows } = await db.query('SELECT id, starts_at, status, seats FROM showtimes WHERE id = $1', [showtimeId]);
  const showtime: ShowtimeCopy | undefined = rows[0];
  if (!showtime) throw notFound('Showtime');
  if (showtime.status !== 'scheduled') throw conflict('The showtime is cancelled');
  if (showtime.starts_at.getTime() <= Date.now()) throw conflict('The showtime has already started');
  return showtime;
}

/**
 * Holds all of `seatIds` for the customer, or none: if any seat is held by someone else or
 * sold, nothing changes and the answer names the seats that are taken. Holding a seat you
 * already hold keeps its expiry (renewing is a separate, capped step).
 */
export async function holdSeats(pool: pg.Pool, userId: string, showtimeId: string, seatIds: string[], policy: HoldPolicy): Promise<Cart> {
  const wanted = [...new Set(seatIds)];
  if (wanted.length > policy.maxSeats) throw unprocessable(`At most ${policy.maxSeats} seats can be held at once`);
  const showtime = await bookableShowtime(pool, showtimeId);
  const unknown = wanted.filter((s) => !(s in showtime.seats));
  if (unknown.length) throw unprocessable(`No such seat in this showtime: ${unknown.join(', ')}`, { unknownSeats: unknown });

  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query(
      `INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, held_at, expires_at)
       SELECT $1, seat.id, $2, 'held', seat.price, now(), now() + make_interval(secs => $5)
         FROM unnest($3::text[], $4::int[]) AS seat(id, price)
       ON CONFLICT (showtime_id, seat_id) DO UPDATE SET
         user_id    = EXCLUDED.user_id,
         price      = EXCLUDED.price,
         held_at    = CASE WHEN seat_claims.user_id = EXCLUDED.user_id AND seat_claims.expires_at > now() THEN seat_claims.held_at ELSE EXCLUDED.held_at END,
         expires_at = CASE WHEN seat_claims.user_id = EXCLUDED.user_id AND seat_claims.expires_at > now() THEN seat_claims.expires_at ELSE EXCLUDED.expires_at END
       WHERE seat_claims.status = 'held' AND (seat_claims.expires_at <= now() OR seat_claims.user_id = EXCLUDED.user_id)
       RETURNING seat_id`,
      [showtimeId, userId, wanted, wanted.map((s) => showtime.seats[s].price), policy.holdSeconds],
    );
    if (rows.length !== wanted.length) {
      const got = new Set(rows.map((r) => r.seat_id));
      const taken = wanted.filter((s) => !got.has(s));
      throw conflict(`Seat${taken.length > 1 ? 's' : ''} ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} taken`, { takenSeats: taken });
    }
  });
  return cartOf(pool, userId);
}

export async function releaseSeat(db: Queryable, userId: string, showtimeId: string, seatId: string): Promise<void> {
  const { rowCount } = await db.query(`DELETE FROM seat_claims WHERE showtime_id = $1 AND seat_id = $2 AND user_id = $3 AND status = 'held'`, [showtimeId, seatId, userId]);
  if (!rowCount) throw notFound('Hold on this seat');
}

/** Pushes the customer's live holds out by a hold period, but never past the cap from the first hold. */
export async function renewHolds(pool: pg.Pool, userId: string, policy: HoldPolicy): Promise<Cart> {
  const { rowCount } = await pool.query(
    `UPDATE seat_claims SET expires_at = least(now() + make_interval(secs => $2), held_at + make_interval(secs => $3))
      WHERE user_id = $1 AND status = 'held' AND expires_at > now()`,
    [userId, policy.holdSeconds, policy.capSeconds],
  );
  if (!rowCount) throw notFound('Live hold');
  return cartOf(pool, userId);
}

export async function cartOf(db: Queryable, userId: string): Promise<Cart> {
  const { rows } = await db.query(
    `SELECT c.showtime_id, c.seat_id, c.price, c.expires_at, s.movie_title, s.hall_name, s.starts_at, s.currency, s.seats -> c.seat_id ->> 'category' AS category
       FROM seat_claims c JOIN showtimes s ON s.id = c.showtime_id
      WHERE c.user_id = $1 AND c.status = 'held' AND c.expires_at > now()
      ORDER BY s.starts_at, c.showtime_id, c.seat_id`,
    [userId],
  );
  const byShowtime = new Map<string, CartShowtime>();
  for (const r of rows) {
    let entry = byShowtime.get(r.showtime_id);
    if (!entry) {
      entry = { showtimeId: r.showtime_id, movieTitle: r.movie_title, hallName: r.hall_name, startsAt: r.starts_at.toISOString(), currency: r.currency, seats: [], subtotal: 0, expiresAt: r.expires_at.toISOString() };
      byShowtime.set(r.showtime_id, entry);
    }
    entry.seats.push({ seatId: r.seat_id, category: r.category, price: r.price, expiresAt: r.expires_at.toISOString() });
    entry.subtotal += r.price;
    if (r.expires_at.toISOString() < entry.expiresAt) entry.expiresAt = r.expires_at.toISOString();
  }
  const showtimes = [...byShowtime.values()];
  return { showtimes, total: showtimes.reduce((t, s) => t + s.subtotal, 0), currency: showtimes[0]?.currency ?? null };
}
