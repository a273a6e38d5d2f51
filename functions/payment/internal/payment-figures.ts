// Internal function, not on the gateway: booking's operator reports ask payment for the
// money of showtimes, and for every payment that took money to reconcile with its bookings.
import { z } from 'zod';
import { getPool } from '../../../layers/core/db';
import { plainFailures } from '../../../layers/core/invocation';
import type { PaymentFiguresAnswer } from '../../../layers/contracts/calls';
import { moneyOfShowtimes, takenPayments } from '../figures';

const pool = getPool('payment');
const request = z.union([z.strictObject({ showtimeIds: z.array(z.uuid()).max(5000) }), z.strictObject({ takenPayments: z.literal(true) })]);

export const handler = plainFailures('paymentFigures', async (event: unknown): Promise<PaymentFiguresAnswer> => {
  const parsed = request.safeParse(event);
  if (!parsed.success) return { ok: false, reason: 'malformed request' };
  if ('showtimeIds' in parsed.data) return { ok: true, showtimes: await moneyOfShowtimes(pool, parsed.data.showtimeIds) };
  return { ok: true, payments: await takenPayments(pool) };
});
