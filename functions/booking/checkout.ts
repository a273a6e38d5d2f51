// Checkout freezes a customer's live holds of one showtime into an amount to pay. The
// amount and the seats come from here, never from what a client sends to payment. A customer
// has at most one open checkout per showtime: checking out the same holds again returns it
// (two checkouts of the same seats could both be paid), and checking out changed holds
// supersedes it (paid after all, it is rejected and refunded, saying why).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Conflict, NotFound, RuleBroken } from '../../layers/core/errors';
import { withTransactionRetryingDeadlocks, type Queryable } from '../../layers/core/db';
import type { Checkout } from '../../layers/contracts/calls';

export type { Checkout };

const toCheckout = (r: any, holdExpiresAt: Date | null = null): Checkout => ({
  id: r.id,
  userId: r.user_id,
  showtimeId: r.showtime_id,
  seats: r.seats,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  holdExpiresAt: holdExpiresAt?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

/** The customer's checkout of their live holds, and whether it was made now or is the open one of the same holds. */
export async function checkout(pool: pg.Pool, userId: string, showtimeId: string | undefined): Promise<{ checkout: Checkout; made: boolean }> {
  // a checkout can be a deadlock's victim (it locks the holds, then the open checkout; a payment's
  // settlement takes them the other way round, as the soak met): it runs again, as a hold does
  return withTransactionRetryingDeadlocks(pool, async (tx) => {
    // Locking the holds keeps them from expiring into someone else's hands mid-checkout.
    const { rows } = await tx.query(
      `SELECT c.showtime_id, c.seat_id, c.price, c.expires_at, s.currency FROM seat_claims c JOIN showtimes s ON s.id = c.showtime_id
        WHERE c.user_id = $1 AND c.status = 'held' AND c.expires_at > now() AND ($2::uuid IS NULL OR c.showtime_id = $2)
        ORDER BY c.seat_id FOR UPDATE OF c`,
      [userId, showtimeId ?? null],
    );
    if (!rows.length) throw new Conflict(showtimeId ? 'You hold no seats for this showtime' : 'Your cart is empty');
    const showtimes = new Set(rows.map((r) => r.showtime_id));
    if (showtimes.size > 1) throw new RuleBroken('Your cart holds seats of several showtimes; check out one showtime at a time (give showtimeId)');
    const seats = rows.map((r) => r.seat_id as string);
    const amount = rows.reduce((t, r) => t + (r.price as number), 0);
    const expires = rows.reduce((m: Date, r) => (r.expires_at < m ? r.expires_at : m), rows[0].expires_at);
    // the holds are locked above, so two checkouts of them take turns here
    const open = (await tx.query(`SELECT * FROM checkouts WHERE user_id = $1 AND showtime_id = $2 AND status = 'open' FOR UPDATE`, [userId, rows[0].showtime_id])).rows[0];
    if (open && sameSeats(open.seats, seats) && open.amount === amount) return { checkout: toCheckout(open, expires), made: false };
    if (open) await tx.query(`UPDATE checkouts SET status = 'superseded' WHERE id = $1`, [open.id]);
    const { rows: made } = await tx.query(
      `INSERT INTO checkouts (id, user_id, showtime_id, seats, amount, currency) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [randomUUID(), userId, rows[0].showtime_id, seats, amount, rows[0].currency],
    );
    return { checkout: toCheckout(made[0], expires), made: true };
  });
}

const sameSeats = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((s, i) => s === [...b].sort()[i]);

/** What payment asks booking for: the caller's own checkout, or nothing. */
export async function checkoutOf(db: Queryable, userId: string, checkoutId: string): Promise<Checkout> {
  const { rows } = await db.query('SELECT * FROM checkouts WHERE id = $1 AND user_id = $2', [checkoutId, userId]);
  if (!rows[0]) throw new NotFound('Checkout');
  return toCheckout(rows[0]);
}
