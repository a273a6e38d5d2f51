// Payment's part of the operator's numbers: the money of each showtime, and every payment
// that took money, for booking's reports to join with its seats and sales.
import type { Queryable } from '../../layers/core/db';
import type { ShowtimeMoney, TakenPayment } from '../../layers/contracts/calls';

/** Money per showtime: what was taken (succeeded or refunded since) and what was given back. */
export async function moneyOfShowtimes(db: Queryable, showtimeIds: string[]): Promise<ShowtimeMoney[]> {
  if (showtimeIds.length === 0) return [];
  const { rows } = await db.query(
    `SELECT p.showtime_id, max(p.currency) AS currency,
            coalesce(sum(p.amount), 0) AS gross,
            coalesce(sum(r.amount), 0) AS refunds,
            count(*) AS payments,
            count(r.id) AS refunded
       FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id
      WHERE p.showtime_id = ANY($1::uuid[]) AND p.status IN ('succeeded', 'refunded')
      GROUP BY p.showtime_id`,
    [showtimeIds],
  );
  return rows.map((r) => ({ showtimeId: r.showtime_id, currency: r.currency, gross: Number(r.gross), refunds: Number(r.refunds), payments: Number(r.payments), refunded: Number(r.refunded) }));
}

/** Every payment that took money, with its refund: what reconciliation holds against booking's bookings. */
export async function takenPayments(db: Queryable): Promise<TakenPayment[]> {
  const { rows } = await db.query(
    `SELECT p.id, p.checkout_id, p.showtime_id, p.amount, p.currency, p.status, p.updated_at, r.amount AS refund_amount
       FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id
      WHERE p.status IN ('succeeded', 'refunded')`,
  );
  return rows.map((r) => ({
    id: r.id,
    checkoutId: r.checkout_id,
    showtimeId: r.showtime_id,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    refundAmount: r.refund_amount ?? null,
    updatedAt: r.updated_at.toISOString(),
  }));
}
