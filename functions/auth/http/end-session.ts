import { route, noContent, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { endSession } from '../sessions';

const pool = getPool('auth');

export const handler = route({ access: 'signed-in', params: uuidParam('id') }, async ({ caller, params }) => {
  await endSession(pool, caller, params.id as string);
  return noContent();
});
