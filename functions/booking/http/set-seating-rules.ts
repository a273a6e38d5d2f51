import { z } from 'zod';
import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { setSeatingRules } from '../holds';
import { holdPolicy } from '../config';

const pool = getPool('booking');

// null goes back to the NO_SINGLE_SEATS default.
const body = z.strictObject({ noSingleSeats: z.boolean().nullable() });

export const handler = route({ access: 'admin', params: uuidParam('id'), body }, async ({ params, body }) =>
  ok(await setSeatingRules(pool, params.id, body.noSingleSeats, holdPolicy)),
);
