// Internal function, not on the gateway: booking asks auth who customers are (an email to
// its account, an account to its email), so that booking never keeps a copy of anyone's
// email and never reads auth's tables.
import { z } from 'zod';
import { getPool } from '../../../layers/core/db';
import { plainFailures } from '../../../layers/core/invocation';
import type { CustomerLookupAnswer } from '../../../layers/contracts/calls';
import { customersBy } from '../users';

const pool = getPool('auth');
const request = z.object({ emails: z.array(z.string().max(320)).max(100).optional(), userIds: z.array(z.uuid()).max(100).optional() });

export const handler = plainFailures('customerDirectory', async (event: unknown): Promise<CustomerLookupAnswer> => {
  const parsed = request.safeParse(event);
  if (!parsed.success) return { ok: false, reason: 'malformed request' };
  return { ok: true, customers: await customersBy(pool, parsed.data) };
});
