import { z } from 'zod';
import { route, noContent } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { releaseSeat } from '../holds';

const pool = getPool('booking');

const params = z.object({ showtimeId: z.uuid('showtimeId must be a UUID'), seatId: z.string().regex(/^[A-Z]{1,3}[0-9]{1,3}$/, 'seat ids look like A12') });

export const handler = route({ access: 'signed-in', params }, async ({ caller, params }) => {
  await releaseSeat(pool, caller.userId, params.showtimeId, params.seatId);
  return noContent();
});
