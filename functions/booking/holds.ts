// The seat rule. One row per (showtime, seat) under a primary key is the only arbiter: a
// hold is that row with an expiry, and taking a seat — free, or held by someone whose hold
// has expired — is one atomic upsert. Nothing here reads and then decides to write.
import type pg from 'pg';
import { Conflict, NotFound, RuleBroken, ValidationFailed } from '../../layers/core/errors';
import { retryingDeadlocks, withTransaction, withTransactionRetryingDeadlocks, type Queryable } from '../../layers/core/db';
import type { HoldPolicy } from './config';
import { chooseBestSeats, defaultFocalPoint, strandingOf, type BestSeatsAsk, type FocalPoint, type HallSeat, type Stranding } from './seat-choice';

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
 * already hold keeps its expiry (renewing is a separate, capped step). The customer's live
 * holds of the showtime stay within the cap, and under the single-seat rule no seat is left
 * alone where another choice would not leave one.
 *
 * Without the rule a hold is one round trip: booking's hold_seats function (migrations 008, 009)
 * takes the showtime's lock (shared) and the customer's, then runs the claim, which checks
 * the showtime, prices the seats from booking's copy, upserts the claims within the cap and
 * reports what it saw, so that a refusal costs no second query (a partial hold is undone by
 * an error that carries what it saw). Under the rule the hall's
 * claims are read and the rule decided in TypeScript, under the showtime's exclusive lock.
 */
export async function holdSeats(pool: pg.Pool, userId: string, showtimeId: string, seatIds: string[], policy: HoldPolicy): Promise<Cart> {
  const wanted = [...new Set(seatIds)];
  if (wanted.length > policy.maxSeats) throw new RuleBroken(`At most ${policy.maxSeats} seats can be held at once`);
  // a hold can be a deadlock's victim (against a checkout and a payment's settlement, as the soak met): it runs again
  const atOnce = await retryingDeadlocks(() => holdAtOnce(pool, userId, showtimeId, wanted, policy));
  const seen = atOnce.single_seat_rule ? await holdUnderTheRule(pool, userId, showtimeId, wanted, policy) : atOnce;
  if (seen.got.length !== wanted.length) {
    if (!seen.bookable) await bookableShowtime(pool, showtimeId); // throws: unknown, cancelled or started
    const unknown = wanted.filter((s) => !seen.known.includes(s));
    if (unknown.length) throw new RuleBroken(`No such seat in this showtime: ${unknown.join(', ')}`, { unknownSeats: unknown });
    if (seen.held_before + wanted.length > policy.maxHeldPerShowtime) throw overCap(policy, seen.held_before);
    const taken = wanted.filter((s) => !seen.got.includes(s));
    throw new Conflict(`Seat${taken.length > 1 ? 's' : ''} ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} taken`, { takenSeats: taken });
  }
  return cartFrom(seen.cart);
}

/** The hold without the single-seat rule, in one statement that is its own transaction; or, under the rule, only that answer (`single_seat_rule`). */
async function holdAtOnce(db: Queryable, userId: string, showtimeId: string, wanted: string[], policy: HoldPolicy): Promise<Taken & { single_seat_rule: boolean }> {
  try {
    const { rows } = await db.query({ name: 'hold-seats-at-once', text: HOLD_AT_ONCE, values: [showtimeId, userId, wanted, policy.holdSeconds, policy.maxHeldPerShowtime, policy.noSingleSeats] });
    return rows[0].hold;
  } catch (err) {
    // a partial hold, undone: the error says what the hold saw (booking migration 009)
    if ((err as { code?: string }).code !== PARTIAL_HOLD_UNDONE) throw err;
    return { single_seat_rule: false, cart: [], ...JSON.parse((err as { detail: string }).detail) };
  }
}

const PARTIAL_HOLD_UNDONE = 'BKH01';

/**
 * The hold's one statement: hold_seats' answer as one JSON value. The driver reads a row's
 * description on every call and builds a parser per column; one column instead of six, and
 * JSON arrays instead of PostgreSQL's, cost Node less (README, *Seat contention*).
 */
export const HOLD_AT_ONCE = 'SELECT row_to_json(h) AS hold FROM hold_seats($1, $2, $3, $4, $5, $6) h';

/** The hold under the single-seat rule: the stranding decided from the claims read under the showtime's exclusive lock, then the claim, in one transaction. */
async function holdUnderTheRule(pool: pg.Pool, userId: string, showtimeId: string, wanted: string[], policy: HoldPolicy): Promise<Taken> {
  let seen: Taken = { bookable: false, known: [], got: [], cart: [], held_before: 0 };
  await withTransactionRetryingDeadlocks(pool, async (tx) => {
    // the rule may have been lifted since: then this takes the shared lock and the customer's, as hold_seats does
    const { strict } = await lockShowtime(tx, showtimeId, userId, policy, 'hold');
    if (strict) {
      const { hall, taken, mine } = await seatsAndClaims(tx, showtimeId, userId);
      // a seat someone else has is refused as taken, below, before any talk of stranding
      const takenByOthers = wanted.some((id) => taken.has(id) && !mine.has(id));
      const stranding = takenByOthers ? null : strandingOf(hall, taken, wanted.filter((id) => !taken.has(id)));
      if (stranding) throw strandedRefusal(stranding, wanted);
    }
    seen = await claimSeats(tx, userId, showtimeId, wanted, policy);
    if (seen.got.length !== wanted.length) throw new PartialHold();
  }).catch((err) => {
    if (!(err instanceof PartialHold)) throw err;
  });
  return seen;
}

export interface BestSeatsHeld {
  cart: Cart;
  held: { seats: string[]; together: boolean };
}

/**
 * Holds the best `count` free seats for the customer (seat-choice.ts says which): chosen from
 * the claims read under the showtime's exclusive lock and claimed in the same transaction,
 * so no other hold can change the row between the choice and the claim.
 */
export async function holdBestSeats(pool: pg.Pool, userId: string, showtimeId: string, ask: BestSeatsAsk, policy: HoldPolicy): Promise<BestSeatsHeld> {
  if (ask.count > policy.maxSeats) throw new RuleBroken(`At most ${policy.maxSeats} seats can be held at once`);
  return withTransactionRetryingDeadlocks(pool, async (tx) => {
    const { strict, focal } = await lockShowtime(tx, showtimeId, userId, policy, 'best');
    const { hall, taken, mine } = await seatsAndClaims(tx, showtimeId, userId);
    const heldByCaller = mine.size;
    if (!hall.length) await bookableShowtime(tx, showtimeId);
    if (ask.category !== undefined && !hall.some((s) => s.category === ask.category)) {
      const categories = [...new Set(hall.map((s) => s.category))].sort();
      throw new ValidationFailed('Unknown seat category', [{ path: 'category', message: `this showtime has no "${ask.category}" seats; it has ${categories.join(', ')}` }]);
    }
    if (heldByCaller + ask.count > policy.maxHeldPerShowtime) throw overCap(policy, heldByCaller);
    const choice = chooseBestSeats(hall, taken, ask, focal ?? defaultFocalPoint(hall), strict);
    if (!choice.seats) {
      const kind = [ask.category, ask.accessible === true ? 'accessible' : ask.accessible === false ? 'non-accessible' : undefined].filter(Boolean).join(' ');
      const what = `${kind ? `${kind} ` : ''}seat${choice.left === 1 ? '' : 's'}`;
      throw new Conflict(`Only ${choice.left} ${what} ${choice.left === 1 ? 'is' : 'are'} left for this showtime, fewer than the ${ask.count} asked for`, { seatsLeft: choice.left, count: ask.count });
    }
    const seen = await claimSeats(tx, userId, showtimeId, choice.seats, policy);
    if (!seen.bookable) await bookableShowtime(tx, showtimeId);
    // every taker of seats holds this lock, so the seats read free are still free
    if (seen.got.length !== choice.seats.length) throw new Error(`best-available claimed ${seen.got.length} of ${choice.seats.length} seats under the lock`);
    return { cart: cartFrom(seen.cart), held: { seats: choice.seats, together: choice.together } };
  });
}

/**
 * Serialises the decisions that read a showtime's seats before claiming some: best available,
 * and any hold while the single-seat rule is on, take the showtime's lock exclusively; other
 * holds take it shared (they run side by side: the claim's upsert is their only arbiter) plus
 * the customer's own lock of the showtime, so that two of one customer's requests cannot
 * both pass the cap. Transaction-scoped advisory locks: they end with the transaction.
 */
async function lockShowtime(tx: Queryable, showtimeId: string, userId: string, policy: HoldPolicy, kind: 'hold' | 'best'): Promise<{ strict: boolean; focal: FocalPoint | null }> {
  const { rows } = await tx.query({
    name: 'lock-showtime-for-holds',
    text: `SELECT strict, focal_row, focal_position,
              CASE WHEN strict OR $4 THEN pg_advisory_xact_lock(hashtextextended('showtime-seats:' || $1, 0))
                   ELSE pg_advisory_xact_lock_shared(hashtextextended('showtime-seats:' || $1, 0)) END IS NULL AS locked,
              CASE WHEN NOT (strict OR $4) THEN pg_advisory_xact_lock(hashtextextended('showtime-holder:' || $1 || ':' || $2, 0)) END IS NULL AS mine
         FROM (SELECT coalesce((SELECT no_single_seats FROM showtimes WHERE id = $1::uuid), $3) AS strict,
                      (SELECT focal_row FROM showtimes WHERE id = $1::uuid) AS focal_row,
                      (SELECT focal_position FROM showtimes WHERE id = $1::uuid) AS focal_position) s`,
    values: [showtimeId, userId, policy.noSingleSeats, kind === 'best'],
  });
  const r = rows[0];
  return { strict: r.strict, focal: r.focal_row === null ? null : { rowIndex: Number(r.focal_row), position: Number(r.focal_position) } };
}

/** The showtime's lock, exclusively, for the rest of the transaction: for whatever else takes or rules on seats. */
export async function lockShowtimeSeats(tx: Queryable, showtimeId: string): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('showtime-seats:' || $1, 0))`, [showtimeId]);
}

/** The showtime's seats with their places, which are not free now (held, sold, blocked), and which of them the caller holds. */
async function seatsAndClaims(tx: Queryable, showtimeId: string, userId: string): Promise<{ hall: HallSeat[]; taken: Set<string>; mine: Set<string> }> {
  const { rows } = await tx.query({
    name: 'seats-and-claims',
    text: `SELECT p.seat_id, p.row_label, p.row_index, p.position, p.category, p.accessible, c.status, c.user_id = $2::uuid AS mine
             FROM showtime_seats p
             LEFT JOIN seat_claims c ON c.showtime_id = p.showtime_id AND c.seat_id = p.seat_id AND (c.status <> 'held' OR c.expires_at > now())
            WHERE p.showtime_id = $1`,
    values: [showtimeId, userId],
  });
  const hall: HallSeat[] = [];
  const taken = new Set<string>();
  const mine = new Set<string>();
  for (const r of rows) {
    hall.push({ seatId: r.seat_id, row: r.row_label, rowIndex: r.row_index, position: r.position, category: r.category, accessible: r.accessible });
    if (r.status) taken.add(r.seat_id);
    if (r.status === 'held' && r.mine) mine.add(r.seat_id);
  }
  return { hall, taken, mine };
}

const overCap = (policy: HoldPolicy, held: number) =>
  new Conflict(`You can hold at most ${policy.maxHeldPerShowtime} seats of a showtime, and you hold ${held} already`, { maxHeldSeats: policy.maxHeldPerShowtime, heldSeats: held });

function strandedRefusal(s: Stranding, wanted: string[]): Conflict {
  const inRow = new Set(wanted.filter((id) => id.replace(/[0-9]+$/, '') === s.row));
  const suggested = [...wanted.filter((id) => !inRow.has(id)), ...s.alternative];
  const seats = s.stranded.length > 1 ? `seats ${s.stranded.join(' and ')}` : `seat ${s.stranded[0]}`;
  return new Conflict(`This would leave ${seats} alone in row ${s.row}; seats ${s.alternative.join(', ')} leave nobody alone`, {
    strandedSeats: s.stranded,
    suggestedSeats: suggested,
  });
}

interface Taken {
  bookable: boolean;
  known: string[];
  got: string[];
  cart: CartRow[];
  /** the customer's live holds of the showtime besides the seats asked for */
  held_before: number;
}

/** The claim itself (booking's claim_seats, migration 008): takes each seat that is free (or whose hold ran out), within the customer's cap. */
async function claimSeats(db: Queryable, userId: string, showtimeId: string, wanted: string[], policy: HoldPolicy): Promise<Taken> {
  const { rows } = await db.query({
    name: 'claim-seats',
    text: 'SELECT * FROM claim_seats($1, $2, $3, $4, $5)',
    values: [showtimeId, userId, wanted, policy.holdSeconds, policy.maxHeldPerShowtime],
  });
  return rows[0];
}

class PartialHold extends Error {}

/**
 * The operator's single-seat rule for one showtime (null: the NO_SINGLE_SEATS default). Taken
 * under the showtime's lock, so a hold decided under the old rule has claimed before it changes.
 */
export async function setSeatingRules(pool: pg.Pool, showtimeId: string, noSingleSeats: boolean | null, policy: HoldPolicy): Promise<{ showtimeId: string; noSingleSeats: boolean; isDefault: boolean }> {
  return withTransaction(pool, async (tx) => {
    await lockShowtimeSeats(tx, showtimeId);
    const { rowCount } = await tx.query('UPDATE showtimes SET no_single_seats = $2 WHERE id = $1', [showtimeId, noSingleSeats]);
    if (!rowCount) throw new NotFound('Showtime');
    return { showtimeId, noSingleSeats: noSingleSeats ?? policy.noSingleSeats, isDefault: noSingleSeats === null };
  });
}

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
