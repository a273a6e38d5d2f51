// The seat rule. One row per (showtime, seat) under a primary key is the only arbiter: a
// hold is that row with an expiry, and taking a seat — free, or held by someone whose hold
// has expired — is one atomic upsert. Nothing here reads and then decides to write.
import type pg from 'pg';
import { Conflict, NotFound, RuleBroken } from '../../layers/core/errors';
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
}

async function bookableShowtime(db: Queryable, showtimeId: string): Promise<ShowtimeCopy> {
  const { rows } = await db.query('SELECT id, starts_at, status FROM showtimes WHERE id = $1', [showtimeId]);
  const showtime: ShowtimeCopy | undefined = rows[0];
  if (!showtime) throw new NotFound('Showtime');
  if (showtime.status !== 'scheduled') throw new Conflict('The showtime is cancelled');
  if (showtime.starts_at.getTime() <= Date.now()) throw new Conflict('The showtime has already started');
  return showtime;
}

/**
 * Holds all of `seatIds` for the customer, or none: if any seat is held by someone else or
 * sold, nothing changes and the answer names the seats that are taken. Holding a seat you
 * already hold keeps its expiry (renewing is a separate, capped step).
 *
 * One statement checks the showtime, prices the seats from booking's copy, upserts the
 * claims and reports what it saw, so that a refusal costs no second query.
 */
export async function holdSeats(pool: pg.Pool, userId: string, showtimeId: string, seatIds: string[], policy: HoldPolicy): Promise<Cart> {
  const wanted = [...new Set(seatIds)];
  if (wanted.length > policy.maxSeats) throw new RuleBroken(`At most ${policy.maxSeats} seats can be held at once`);
  const take = async (db: Queryable): Promise<{ bookable: boolean; known: string[]; got: string[]; cart: CartRow[] }> => {
    // named, so each connection plans this statement once
    const { rows } = await db.query({
      name: 'hold-seats',
      text: `WITH showtime AS (
         SELECT id FROM showtimes WHERE id = $1 AND status = 'scheduled' AND starts_at > now()
       ), seat AS (
         SELECT p.seat_id AS id, p.price FROM showtime JOIN showtime_seats p ON p.showtime_id = showtime.id WHERE p.seat_id = ANY($3::text[])
       ), claimed AS (
         INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, held_at, expires_at)
         SELECT $1, seat.id, $2, 'held', seat.price, now(), now() + make_interval(secs => $4) FROM seat
         ON CONFLICT (showtime_id, seat_id) DO UPDATE SET
           user_id    = EXCLUDED.user_id,
           price      = EXCLUDED.price,
           held_at    = CASE WHEN seat_claims.user_id = EXCLUDED.user_id AND seat_claims.expires_at > now() THEN seat_claims.held_at ELSE EXCLUDED.held_at END,
           expires_at = CASE WHEN seat_claims.user_id = EXCLUDED.user_id AND seat_claims.expires_at > now() THEN seat_claims.expires_at ELSE EXCLUDED.expires_at END
         WHERE seat_claims.status = 'held' AND (seat_claims.expires_at <= now() OR seat_claims.user_id = EXCLUDED.user_id)
         RETURNING showtime_id, seat_id, price, expires_at
       ), mine AS (
         -- the caller's cart after this hold: what it just took, and its other live holds
         SELECT showtime_id, seat_id, price, expires_at FROM claimed
         UNION ALL
         SELECT c.showtime_id, c.seat_id, c.price, c.expires_at FROM seat_claims c
          WHERE c.user_id = $2 AND c.status = 'held' AND c.expires_at > now() AND NOT (c.showtime_id = $1 AND c.seat_id = ANY($3::text[]))
       )
       SELECT EXISTS (SELECT 1 FROM showtime) AS bookable,
              coalesce((SELECT array_agg(id) FROM seat), '{}') AS known,
              coalesce((SELECT array_agg(seat_id) FROM claimed), '{}') AS got,
              coalesce((SELECT json_agg(json_build_object(
                  'showtime_id', m.showtime_id, 'seat_id', m.seat_id, 'price', m.price, 'expires_at', m.expires_at, 'category', p.category,
                  'movie_title', s.movie_title, 'hall_name', s.hall_name, 'starts_at', s.starts_at, 'currency', s.currency)
                  ORDER BY s.starts_at, m.showtime_id, m.seat_id)
                 FROM mine m JOIN showtimes s ON s.id = m.showtime_id JOIN showtime_seats p ON p.showtime_id = m.showtime_id AND p.seat_id = m.seat_id), '[]') AS cart`,
      values: [showtimeId, userId, wanted, policy.holdSeconds],
    });
    return rows[0];
  };

  // One seat needs no transaction: a single statement is atomic. Several are all taken or none.
  let seen = { bookable: false, known: [] as string[], got: [] as string[], cart: [] as CartRow[] };
  if (wanted.length === 1) seen = await take(pool);
  else {
    await withTransaction(pool, async (tx) => {
      seen = await take(tx);
      if (seen.got.length !== wanted.length) throw new PartialHold();
    }).catch((err) => {
      if (!(err instanceof PartialHold)) throw err;
    });
  }
  if (seen.got.length !== wanted.length) {
    if (!seen.bookable) await bookableShowtime(pool, showtimeId); // throws: unknown, cancelled or started
    const unknown = wanted.filter((s) => !seen.known.includes(s));
    if (unknown.length) throw new RuleBroken(`No such seat in this showtime: ${unknown.join(', ')}`, { unknownSeats: unknown });
    const taken = wanted.filter((s) => !seen.got.includes(s));
    throw new Conflict(`Seat${taken.length > 1 ? 's' : ''} ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} taken`, { takenSeats: taken });
  }
  return cartFrom(seen.cart);
}

class PartialHold extends Error {}

export async function releaseSeat(db: Queryable, userId: string, showtimeId: string, seatId: string): Promise<void> {
  const { rowCount } = await db.query(`DELETE FROM seat_claims WHERE showtime_id = $1 AND seat_id = $2 AND user_id = $3 AND status = 'held'`, [showtimeId, seatId, userId]);
  if (!rowCount) throw new NotFound('Hold on this seat');
}

/** Pushes the customer's live holds out by a hold period, but never past the cap from the first hold. */
export async function renewHolds(pool: pg.Pool, userId: string, policy: HoldPolicy): Promise<Cart> {
  const { rowCount } = await pool.query(
    `UPDATE seat_claims SET expires_at = least(now() + make_interval(secs => $2), held_at + make_interval(secs => $3))
      WHERE user_id = $1 AND status = 'held' AND expires_at > now()`,
    [userId, policy.holdSeconds, policy.capSeconds],
  );
  if (!rowCount) throw new NotFound('Live hold');
  return cartOf(pool, userId);
}

interface CartRow {
  showtime_id: string;
  seat_id: string;
  price: number;
  expires_at: Date | string;
  category: string;
  movie_title: string;
  hall_name: string;
  starts_at: Date | string;
  currency: string;
}

export async function cartOf(db: Queryable, userId: string): Promise<Cart> {
  const { rows } = await db.query({
    name: 'cart-of',
    text: `SELECT c.showtime_id, c.seat_id, c.price, c.expires_at, s.movie_title, s.hall_name, s.starts_at, s.currency, p.category
       FROM seat_claims c JOIN showtimes s ON s.id = c.showtime_id JOIN showtime_seats p ON p.showtime_id = c.showtime_id AND p.seat_id = c.seat_id
      WHERE c.user_id = $1 AND c.status = 'held' AND c.expires_at > now()
      ORDER BY s.starts_at, c.showtime_id, c.seat_id`,
    values: [userId],
  });
  return cartFrom(rows);
}

/** Rows of live holds, in showtime order, grouped into the cart a customer sees. */
function cartFrom(rows: CartRow[]): Cart {
  const iso = (t: Date | string) => new Date(t).toISOString();
  const byShowtime = new Map<string, CartShowtime>();
  for (const r of rows) {
    const expiresAt = iso(r.expires_at);
    let entry = byShowtime.get(r.showtime_id);
    if (!entry) {
      entry = { showtimeId: r.showtime_id, movieTitle: r.movie_title, hallName: r.hall_name, startsAt: iso(r.starts_at), currency: r.currency, seats: [], subtotal: 0, expiresAt };
      byShowtime.set(r.showtime_id, entry);
    }
    entry.seats.push({ seatId: r.seat_id, category: r.category, price: r.price, expiresAt });
    entry.subtotal += r.price;
    if (expiresAt < entry.expiresAt) entry.expiresAt = expiresAt;
  }
  const showtimes = [...byShowtime.values()];
  return { showtimes, total: showtimes.reduce((t, s) => t + s.subtotal, 0), currency: showtimes[0]?.currency ?? null };
}
