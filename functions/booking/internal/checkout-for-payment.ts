// Internal function, not on the gateway: payment asks booking for a customer's checkout,
// so that the amount and seats it charges come from booking and never from a client.
import { z } from 'zod';
import { getPool } from '../../../layers/core/db';
import { NotFound } from '../../../layers/core/errors';
import { plainFailures } from '../../../layers/core/invocation';
import type { CheckoutAnswer } from '../../../layers/contracts/calls';
import { checkoutOf } from '../checkout';

const pool = getPool('booking');
const request = z.object({ userId: z.uuid(), checkoutId: z.uuid() });

// a failure (the database away) is answered without our stack trace (layers/core/invocation.ts)
export const handler = plainFailures('checkoutForPayment', async (event: unknown): Promise<CheckoutAnswer> => {
  const parsed = request.safeParse(event);
  if (!parsed.success) return { found: false, reason: 'malformed request' };
  try {
    return { found: true, checkout: await checkoutOf(pool, parsed.data.userId, parsed.data.checkoutId) };
  } catch (err) {
    if (err instanceof NotFound) return { found: false, reason: 'no such checkout for this customer' };
    throw err;
  }
});
