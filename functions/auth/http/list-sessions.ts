import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { listSessions } from '../sessions';

const pool = getPool('auth');

export const handler = route({ access: 'signed-in' }, async ({ caller }) => ok({ sessions: await listSessions(pool, caller) }));
