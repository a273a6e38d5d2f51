import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { cartOf } from '../holds';

const pool = getPool('booking');

export const handler = route({ access: 'signed-in' }, async ({ caller }) => ok({ cart: await cartOf(pool, caller.userId) }));
