// Bookings: a paid checkout whose seats were still ours becomes a booking and its seats
// are sold; one whose hold was lost meanwhile is rejected, and its payment refunded.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Conflict, NotFound } from '../../layers/core/errors';
import { withTransaction, type Queryable } from '../../layers/core/db';
import type { AccessClaims } from '../../layers/core/jwt';
import { enqueue } from '../../layers/events/outbox';
import { bookingCancelled, bookingConfirmed, bookingRejected, type PaymentSucceeded } from '../../layers/contracts/events';
import { ticketPolicy } from './config';
import { ticketKeys } from './ticket-keys';
import { issueTickets, revokeBookingTickets } from './tickets';

/** Who asks: a customer sees only their own bookings, an admin every one. */
type Caller = Pick<AccessClaims, 'userId' | 'role'>;

export interface Booking {
  id: string;
  /** what people read and type ("K7Q-4MX"); printed on every ticket */
  reference: string | null;
  userId: string;
  showtimeId: string;
  movieTitle: string;
  hallName: string;
  startsAt: string;
  checkoutId: string;
  paymentId: string;
  seats: string[];
  amount: number;
  currency: string;
  status: 'confirmed' | 'cancelled';
  createdAt: string;
  cancelledAt: string | null;
  /** Why it was cancelled (by the customer, the showtime cancelled…): the reason its refund gives too. */
  cancelReason: string | null;
}

const select = `SELECT b.*, s.movie_title, s.hall_name, s.starts_at FROM bookings b JOIN showtimes s ON s.id = b.showtime_id`;
const toBooking = (r: any): Booking => ({
  id: r.id,
  reference: r.reference ?? null,
  userId: r.user_id,
  showtimeId: r.showtime_id,
  movieTitle: r.movie_title,
  hallName: r.hall_name,
  startsAt: r.starts_at.toISOString(),
  checkoutId: r.checkout_id,
  paymentId: r.payment_id,
  seats: r.seats,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  createdAt: r.created_at.toISOString(),
  cancelledAt: r.cancelled_at?.toISOString() ?? null,
  cancelReason: r.cancel_reason ?? null,
});

export type PaymentOutcome = 'confirmed' | 'rejected' | 'already-settled';

/**
 * payment.success → a booking, inside the consumer's inbox transaction. The seats become
 * sold only if every one of them is still held by the payer (an expired hold nobody took
 * over still counts: the customer paid in time for a seat nobody else wanted).
 */
export async function settlePayment(tx: pg.PoolClient, paid: PaymentSucceeded, correlationId: string): Promise<PaymentOutcome> {
  const { rows } = await tx.query('SELECT * FROM checkouts WHERE id = $1 FOR UPDATE', [paid.checkoutId]);
  const co = rows[0];
  if (!co) throw new Error(`payment.success names checkout ${paid.checkoutId}, which booking does not have`);
  const reject = async (reason: string, opts: { releaseHolds: boolean } = { releaseHolds: true }) => {
    await tx.query(`UPDATE checkouts SET status = 'rejected' WHERE id = $1`, [co.id]);
    // whatever of these seats the payer still holds goes back on sale (unless a newer checkout has them)
    if (opts.releaseHolds) await tx.query(`DELETE FROM seat_claims WHERE showtime_id = $1 AND seat_id = ANY($2::text[]) AND user_id = $3 AND status = 'held'`, [co.showtime_id, co.seats, co.user_id]);
    await enqueue(tx, bookingRejected({ paymentId: paid.paymentId, checkoutId: co.id, userId: co.user_id, showtimeId: co.showtime_id, seats: co.seats, amount: paid.amount, currency: paid.currency, reason }, correlationId));
    return 'rejected' as const;
  };

  // a checkout the customer replaced (by checking out changed holds) was paid all the same
  // (its seats, still held, are the newer checkout's)
  if (co.status === 'superseded') return reject('you checked out again with other seats before this payment went through; pay that checkout instead', { releaseHolds: false });
  if (co.status !== 'open') return 'already-settled';

  const showtime = (await tx.query('SELECT status, movie_title, hall_name, starts_at FROM showtimes WHERE id = $1', [co.showtime_id])).rows[0];
  if (showtime?.status !== 'scheduled') return reject('the showtime was cancelled');
  if (paid.amount !== co.amount || paid.currency !== co.currency) return reject(`paid ${paid.amount} ${paid.currency}, the checkout asks ${co.amount} ${co.currency}`);

  const bookingId = randomUUID();
  await tx.query('SAVEPOINT sell');
  await tx.query(
    `INSERT INTO bookings (id, user_id, showtime_id, checkout_id, payment_id, seats, amount, currency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [bookingId, co.user_id, co.showtime_id, co.id, paid.paymentId, co.seats, co.amount, co.currency],
  );
  await tx.query(`UPDATE checkouts SET status = 'booked' WHERE id = $1`, [co.id]);
  const { reference, tickets } = await issueTickets(tx, ticketKeys(), ticketPolicy, bookingId);
  await enqueue(
    tx,
    bookingConfirmed(
      {
        bookingId, paymentId: paid.paymentId, checkoutId: co.id, userId: co.user_id, showtimeId: co.showtime_id, seats: co.seats, amount: co.amount, currency: co.currency,
        reference, tickets, showtime: { movieTitle: showtime.movie_title, hallName: showtime.hall_name, startsAt: showtime.starts_at.toISOString() },
      },
      correlationId,
    ),
  );
  // The sale comes last: changing a showtime's claims locks its availability version until
  // commit, so every sale of the showtime waits behind this one for only the commit, not for
  // the booking, the tickets and the event. Seats no longer held undo all of it.
  const sold = await tx.query(
    `UPDATE seat_claims SET status = 'sold', booking_id = $4, expires_at = NULL
      WHERE showtime_id = $1 AND seat_id = ANY($2::text[]) AND user_id = $3 AND status = 'held' RETURNING seat_id`,
    [co.showtime_id, co.seats, co.user_id, bookingId],
  );
  if (sold.rowCount !== co.seats.length) {
    await tx.query('ROLLBACK TO SAVEPOINT sell');
    return reject('the seats were no longer held for this customer');
  }
  return 'confirmed';
}

async function cancelWithin(tx: pg.PoolClient, booking: any, reason: string, correlationId: string): Promise<void> {
  await tx.query(`UPDATE bookings SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2 WHERE id = $1`, [booking.id, reason]);
  await tx.query(`DELETE FROM seat_claims WHERE booking_id = $1`, [booking.id]);
  await revokeBookingTickets(tx, booking.id, reason);
  const s = (await tx.query('SELECT movie_title, hall_name, starts_at FROM showtimes WHERE id = $1', [booking.showtime_id])).rows[0];
  await enqueue(
    tx,
    bookingCancelled(
      {
        bookingId: booking.id, paymentId: booking.payment_id, checkoutId: booking.checkout_id, userId: booking.user_id, showtimeId: booking.showtime_id, seats: booking.seats, amount: booking.amount, currency: booking.currency, reason,
        reference: booking.reference ?? undefined, showtime: s && { movieTitle: s.movie_title, hallName: s.hall_name, startsAt: s.starts_at.toISOString() },
      },
      correlationId,
    ),
  );
}

/** The customer (or an admin) cancels before the showtime: seats freed, payment refunded. */
export async function cancelBooking(pool: pg.Pool, caller: Caller, bookingId: string, cutoffMinutes: number, correlationId: string): Promise<Booking> {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query(`SELECT b.*, s.starts_at FROM bookings b JOIN showtimes s ON s.id = b.showtime_id WHERE b.id = $1 FOR UPDATE OF b`, [bookingId]);
    const b = rows[0];
    if (!b || (b.user_id !== caller.userId && caller.role !== 'admin')) throw new NotFound('Booking');
    if (b.status === 'cancelled') throw new Conflict('The booking is already cancelled');
    if (b.starts_at.getTime() - cutoffMinutes * 60_000 <= Date.now()) throw new Conflict('The showtime has started (or is too close) and can no longer be cancelled');
    await cancelWithin(tx, b, caller.role === 'admin' && b.user_id !== caller.userId ? 'cancelled by the cinema' : 'cancelled by the customer', correlationId);
  });
  return getBooking(pool, caller, bookingId);
}

/** showtime.cancelled: every booking of it is cancelled (and so refunded), every hold dropped. */
export async function cancelShowtimeBookings(tx: pg.PoolClient, showtimeId: string, correlationId: string): Promise<number> {
  await tx.query(`UPDATE showtimes SET status = 'cancelled', updated_at = now() WHERE id = $1`, [showtimeId]);
  // Every claim first, in seat order as a hold takes them: a hold waiting on one of them then
  // holds nothing this transaction needs (each claim statement ends by locking the
  // showtime's availability version, which this one keeps from its first statement on).
  await tx.query(`SELECT 1 FROM seat_claims WHERE showtime_id = $1 ORDER BY seat_id FOR UPDATE`, [showtimeId]);
  const { rows } = await tx.query(`SELECT * FROM bookings WHERE showtime_id = $1 AND status = 'confirmed' FOR UPDATE`, [showtimeId]);
  for (const b of rows) await cancelWithin(tx, b, 'the showtime was cancelled', correlationId);
  await tx.query(`DELETE FROM seat_claims WHERE showtime_id = $1 AND status = 'held'`, [showtimeId]);
  return rows.length;
}

export async function getBooking(db: Queryable, caller: Caller, id: string): Promise<Booking> {
  const { rows } = await db.query(`${select} WHERE b.id = $1`, [id]);
  // someone else's booking is "not found": its existence is not the caller's business
  if (!rows[0] || (rows[0].user_id !== caller.userId && caller.role !== 'admin')) throw new NotFound('Booking');
  return toBooking(rows[0]);
}

export async function listBookings(db: Queryable, userId: string, page: number, pageSize: number) {
  const total = (await db.query('SELECT count(*) AS n FROM bookings WHERE user_id = $1', [userId])).rows[0].n;
  const { rows } = await db.query(`${select} WHERE b.user_id = $1 ORDER BY b.created_at DESC, b.id LIMIT $2 OFFSET $3`, [userId, pageSize, (page - 1) * pageSize]);
  return { items: rows.map(toBooking), page, pageSize, total };
}

export interface BookingSearch {
  showtimeId?: string;
  /** the customers whose bookings to list (an email resolved by auth); an empty list finds none */
  userIds?: string[];
  /** the start of the booking's id: its reference as the customer reads it (eight characters) or more */
  reference?: string;
  status?: 'confirmed' | 'cancelled';
  page: number;
  pageSize: number;
}

/** Every customer's bookings as an operator searches them, newest first. */
export async function searchBookings(db: Queryable, f: BookingSearch) {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => `$${args.push(v)}`;
  if (f.showtimeId) where.push(`b.showtime_id = ${arg(f.showtimeId)}`);
  if (f.userIds) where.push(`b.user_id = ANY(${arg(f.userIds)}::uuid[])`);
  if (f.reference) where.push(`(b.id::text LIKE ${arg(f.reference.toLowerCase() + '%')} OR b.reference = ${arg(f.reference.toUpperCase())})`);
  if (f.status) where.push(`b.status = ${arg(f.status)}`);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await db.query(`SELECT count(*) AS n FROM bookings b ${clause}`, args)).rows[0].n);
  const { rows } = await db.query(`${select} ${clause} ORDER BY b.created_at DESC, b.id LIMIT ${arg(f.pageSize)} OFFSET ${arg((f.page - 1) * f.pageSize)}`, args);
  return { items: rows.map(toBooking), page: f.page, pageSize: f.pageSize, total };
}

/** Whether booking has heard of the showtime (showtime.scheduled). */
export async function knowsShowtime(db: Queryable, showtimeId: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM showtimes WHERE id = $1', [showtimeId])).rowCount === 1;
}

export async function bookingStats(db: Queryable, userId: string) {
  const { rows } = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'confirmed') AS bookings,
            coalesce(sum(cardinality(seats)) FILTER (WHERE status = 'confirmed'), 0) AS seats,
            coalesce(sum(amount) FILTER (WHERE status = 'confirmed'), 0) AS total_spent,
            count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
            max(currency) AS currency
       FROM bookings WHERE user_id = $1`,
    [userId],
  );
  const r = rows[0];
  return { bookings: Number(r.bookings), seats: Number(r.seats), totalSpent: Number(r.total_spent), cancelled: Number(r.cancelled), currency: r.currency };
}
