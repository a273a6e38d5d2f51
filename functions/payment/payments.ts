// Payments: a pending payment for a customer's own checkout, confirmed only by the
// provider's signed webhook. Confirming publishes payment.success through the outbox. The
// provider is reached through its port; payment keeps the session's id, never its state.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Conflict, NotFound, RuleBroken } from '../../layers/core/errors';
import { withTransaction, type Queryable } from '../../layers/core/db';
import { enqueue } from '../../layers/events/outbox';
import type { CheckoutSource } from './checkout-source';
import { paymentFailed, paymentRefunded, paymentSucceeded } from '../../layers/contracts/events';
import type { PaymentProvider, ProviderWebhook } from './provider';

export interface Payment {
  id: string;
  userId: string;
  checkoutId: string;
  showtimeId: string;
  seats: string[];
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded';
  provider: string;
  providerSessionId: string;
  failureReason: string | null;
  /** The money given back, and why (the booking was cancelled, the seats were lost…). */
  refund: { id: string; amount: number; reason: string; refundedAt: string } | null;
  createdAt: string;
  updatedAt: string;
}

const toPayment = (r: any): Payment => ({
  id: r.id,
  userId: r.user_id,
  checkoutId: r.checkout_id,
  showtimeId: r.showtime_id,
  seats: r.seats,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  provider: r.provider,
  providerSessionId: r.provider_session_id,
  failureReason: r.failure_reason,
  refund: r.refund_id ? { id: r.refund_id, amount: r.refund_amount, reason: r.refund_reason, refundedAt: r.refunded_at.toISOString() } : null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

// a payment with its refund, if it has one
const selectPayments = `SELECT p.*, r.id AS refund_id, r.amount AS refund_amount, r.reason AS refund_reason, r.created_at AS refunded_at
  FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id`;

const liveAttempt = (db: Queryable, checkoutId: string) => db.query(`${selectPayments} WHERE p.checkout_id = $1 AND p.status <> 'failed'`, [checkoutId]);

const checkoutRefusal: Record<string, string> = {
  booked: 'The checkout is already paid and booked',
  rejected: 'The checkout was paid but could not be booked, and its payment refunded; hold the seats again and check out',
  superseded: 'This checkout was replaced by a newer one of the same showtime (you checked out again with other seats); pay that one',
};

/**
 * A payment attempt for the customer's checkout. Asking again while one is pending (or once
 * it succeeded) returns it; after a failed attempt (a declined card) a new attempt, with a
 * new provider session, is made for the same checkout while it is open. At most one attempt
 * per checkout is live, so a checkout is paid at most once. `made` says whether it is new.
 */
export async function startPayment(pool: pg.Pool, checkouts: CheckoutSource, provider: PaymentProvider, userId: string, checkoutId: string): Promise<{ payment: Payment; made: boolean }> {
  const existing = (await liveAttempt(pool, checkoutId)).rows[0];
  if (existing && existing.user_id !== userId) throw new NotFound('Checkout');
  if (existing && existing.status !== 'pending') return { payment: toPayment(existing), made: false };
  const co = await checkouts.checkoutFor(userId, checkoutId);
  if (!co) throw new NotFound('Checkout');
  // a pending attempt is offered again only while its checkout can still become a booking
  if (co.status !== 'open') throw new Conflict(checkoutRefusal[co.status] ?? `The checkout is ${co.status}`, { checkoutId, checkoutStatus: co.status });
  if (existing) return { payment: toPayment(existing), made: false };
  // The provider is outside our transaction: a session opened for a request that loses the
  // race below is never paid, as with any provider.
  const session = await provider.openSession({ amount: co.amount, currency: co.currency });
  const { rows } = await pool.query(
    `INSERT INTO payments (id, user_id, checkout_id, showtime_id, seats, amount, currency, provider, provider_session_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (checkout_id) WHERE status <> 'failed' DO NOTHING RETURNING id`,
    [randomUUID(), userId, co.id, co.showtimeId, co.seats, co.amount, co.currency, provider.name, session],
  );
  // none returned: a concurrent request made its attempt first
  const made = (await (rows[0] ? pool.query(`${selectPayments} WHERE p.id = $1`, [rows[0].id]) : liveAttempt(pool, checkoutId))).rows[0];
  return { payment: toPayment(made), made: !!rows[0] };
}

/** What the customer can do next about a payment: pay it while it is pending, nothing otherwise. */
export function nextStepOf(payment: Payment): { canPay: boolean; message: string } {
  switch (payment.status) {
    case 'pending':
      return { canPay: true, message: 'Pay on the provider page' };
    case 'failed':
      return { canPay: false, message: `The payment did not go through (${payment.failureReason ?? 'declined'}); nothing was charged. Start a new payment for the same checkout (POST /payments with its checkoutId) while your seats are held.` };
    case 'succeeded':
      return { canPay: false, message: 'Paid; the booking follows' };
    case 'refunded':
      return { canPay: false, message: `Refunded: ${payment.refund?.reason ?? 'the booking could not be kept'}` };
  }
}

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

/**
 * The provider's word on a payment. Each webhook is recorded once (by its own id), in the
 * same transaction as its effect, so a duplicate delivery changes nothing; a success moves
 * a pending payment to succeeded and publishes payment.success with it.
 */
export async function applyWebhook(pool: pg.Pool, hook: ProviderWebhook, correlationId: string): Promise<WebhookOutcome> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query('SELECT * FROM payments WHERE provider_session_id = $1 FOR UPDATE', [hook.data.sessionId]);
    const p = rows[0];
    if (!p) throw new RuleBroken('The webhook names no payment of ours');
    const receipt = await tx.query(
      'INSERT INTO webhook_receipts (provider_event_id, payment_id, kind, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [hook.id, p.id, hook.type, hook],
    );
    if (!receipt.rowCount) return 'duplicate';
    if (p.status !== 'pending' || hook.type === 'refund.succeeded') return 'ignored';
    if (hook.type === 'payment.succeeded') {
      if (hook.data.amount !== p.amount || hook.data.currency !== p.currency) throw new RuleBroken('The webhook amount does not match the payment');
      await tx.query(`UPDATE payments SET status = 'succeeded', updated_at = now() WHERE id = $1`, [p.id]);
      await enqueue(
        tx,
        paymentSucceeded({ paymentId: p.id, checkoutId: p.checkout_id, userId: p.user_id, showtimeId: p.showtime_id, seats: p.seats, amount: p.amount, currency: p.currency, provider: p.provider }, correlationId),
      );
    } else {
      const reason = hook.data.reason ?? 'declined';
      await tx.query(`UPDATE payments SET status = 'failed', failure_reason = $2, updated_at = now() WHERE id = $1`, [p.id, reason]);
      await enqueue(tx, paymentFailed({ paymentId: p.id, checkoutId: p.checkout_id, userId: p.user_id, reason }, correlationId));
    }
    return 'applied';
  });
}

/**
 * booking.rejected / booking.cancelled: give the money back, once. The provider refunds
 * before our transaction commits; should it roll back, the retry asks again, and the
 * provider refunds a session once however often it is asked.
 */
export async function refundPayment(tx: pg.PoolClient, provider: PaymentProvider, paymentId: string, reason: string, correlationId: string): Promise<'refunded' | 'nothing-to-refund'> {
  const { rows } = await tx.query('SELECT * FROM payments WHERE id = $1 FOR UPDATE', [paymentId]);
  const p = rows[0];
  if (!p) throw new Error(`refund asked for payment ${paymentId}, which payment does not have`);
  if (p.status !== 'succeeded') return 'nothing-to-refund';
  await provider.refund(p.provider_session_id);
  const refundId = randomUUID();
  await tx.query('INSERT INTO refunds (id, payment_id, amount, reason) VALUES ($1, $2, $3, $4)', [refundId, p.id, p.amount, reason]);
  await tx.query(`UPDATE payments SET status = 'refunded', updated_at = now() WHERE id = $1`, [p.id]);
  await enqueue(tx, paymentRefunded({ paymentId: p.id, refundId, checkoutId: p.checkout_id, userId: p.user_id, amount: p.amount, currency: p.currency, reason }, correlationId));
  return 'refunded';
}

export async function getPayment(db: Queryable, caller: { userId: string; role: string }, id: string): Promise<Payment> {
  const { rows } = await db.query(`${selectPayments} WHERE p.id = $1`, [id]);
  if (!rows[0] || (rows[0].user_id !== caller.userId && caller.role !== 'admin')) throw new NotFound('Payment');
  return toPayment(rows[0]);
}

export async function listPayments(db: Queryable, userId: string, page: number, pageSize: number) {
  const total = (await db.query('SELECT count(*) AS n FROM payments WHERE user_id = $1', [userId])).rows[0].n;
  const { rows } = await db.query(`${selectPayments} WHERE p.user_id = $1 ORDER BY p.created_at DESC, p.id LIMIT $2 OFFSET $3`, [userId, pageSize, (page - 1) * pageSize]);
  return { items: rows.map(toPayment), page, pageSize, total };
}
