import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { renewHolds } from '../holds';
import { holdPolicy } from '../config';

const pool = getPool('booking');

export const handler = route({ access: 'signed-in' }, async ({ caller }) => ok({ cart: await renewHolds(pool, caller.userId, holdPolicy) }));
