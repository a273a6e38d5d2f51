import { route, noContent, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { deleteMovie } from '../movies';

const pool = getPool('catalog');

export const handler = route({ access: 'admin', params: uuidParam('id') }, async ({ params }) => {
  await deleteMovie(pool, params.id);
  return noContent();
});
