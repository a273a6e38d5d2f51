import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { holdSeats } from '../holds';
import { holdPolicy } from '../config';

const pool = getPool('booking');

const body = z.strictObject({
  showtimeId: z.uuid(),
  seats: z.array(z.string().regex(/^[A-Z]{1,3}[0-9]{1,3}$/, 'seat ids look like A12')).min(1),
});

export const handler = route({ access: 'signed-in', body }, async ({ caller, body }) =>
  created({ cart: await holdSeats(pool, caller.userId, body.showtimeId, body.seats, holdPolicy) }),
);
