import { z } from 'zod';
import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { setBlockedSeats } from '../availability';

const pool = getPool('booking');

const body = z.strictObject({ seats: z.array(z.string().regex(/^[A-Z]{1,3}[0-9]{1,3}$/, 'seat ids look like A12')).max(2000) });

// The operator says which seats are blocked (house seats, a broken seat); [] frees them all.
export const handler = route({ access: 'admin', params: uuidParam('id'), body }, async ({ caller, params, body }) =>
  ok(await setBlockedSeats(pool, caller.userId, params.id, body.seats)),
);
