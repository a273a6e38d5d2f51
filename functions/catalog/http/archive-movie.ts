import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { archiveMovie } from '../movies';

const pool = getPool('catalog');

export const handler = route({ access: 'admin', params: uuidParam('id') }, async ({ params }) => ok({ movie: await archiveMovie(pool, params.id) }));
