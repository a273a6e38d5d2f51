import { route, noContent } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { revokeSession } from '../sessions';

const pool = getPool('auth');

export const handler = route({ access: 'signed-in' }, async ({ caller }) => {
  await revokeSession(pool, caller.sessionId);
  return noContent();
});
