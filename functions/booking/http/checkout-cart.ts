import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { checkout } from '../checkout';

const pool = getPool('booking');

export const handler = route({ access: 'signed-in', body: z.strictObject({ showtimeId: z.uuid().optional() }).optional() }, async ({ caller, body }) =>
  created({ checkout: await checkout(pool, caller.userId, body?.showtimeId) }),
);
