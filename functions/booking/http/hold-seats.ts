import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { holdBestSeats, holdSeats } from '../holds';
import { holdPolicy } from '../config';

const pool = getPool('booking');

// Either the seats themselves, or how many and the server picks the best ones.
const body = z
  .strictObject({
    showtimeId: z.uuid(),
    seats: z.array(z.string().regex(/^[A-Z]{1,3}[0-9]{1,3}$/, 'seat ids look like A12')).min(1).optional(),
    count: z.number('count must be a number of seats').int('count must be a whole number').min(1, 'count must be at least 1').max(holdPolicy.maxSeats, `count must be at most ${holdPolicy.maxSeats}`).optional(),
    category: z.string().min(1).max(30).optional(),
    accessible: z.boolean().optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.seats === undefined) === (b.count === undefined)) ctx.addIssue({ code: 'custom', path: ['seats'], message: 'send either seats or count' });
    if (b.seats !== undefined) for (const f of ['category', 'accessible'] as const) if (b[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `${f} goes with count, not with seats` });
  });

export const handler = route({ access: 'signed-in', body }, async ({ caller, body }) => {
  if (body.seats) return created({ cart: await holdSeats(pool, caller.userId, body.showtimeId, body.seats, holdPolicy) });
  return created(await holdBestSeats(pool, caller.userId, body.showtimeId, { count: body.count!, category: body.category, accessible: body.accessible }, holdPolicy));
});
