import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { endOtherSessions } from '../sessions';

const pool = getPool('auth');

// Every session but the one asking: POST /auth/logout ends that one.
export const handler = route({ access: 'signed-in' }, async ({ caller }) => ok({ ended: await endOtherSessions(pool, caller) }));
