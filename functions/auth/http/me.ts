import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { findUser } from '../users';

const pool = getPool('auth');

export const handler = route({ access: 'signed-in' }, async ({ caller }) => ok({ user: await findUser(pool, caller.userId) }));
