import { z } from 'zod';
import { route, created, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { checkout } from '../checkout';

const pool = getPool('booking');

// 201 with a new checkout; 200 with the open one when the holds are the same as when it was made
export const handler = route({ access: 'signed-in', body: z.strictObject({ showtimeId: z.uuid().optional() }).optional() }, async ({ caller, body }) => {
  const { checkout: made, made: isNew } = await checkout(pool, caller.userId, body?.showtimeId);
  return isNew ? created({ checkout: made }) : ok({ checkout: made });
});
