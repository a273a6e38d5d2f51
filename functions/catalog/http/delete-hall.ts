import { route, noContent, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { deleteHall } from '../halls';

const pool = getPool('catalog');

export const handler = route({ access: 'admin', params: uuidParam('id') }, async ({ params }) => {
  await deleteHall(pool, params.id);
  return noContent();
});
