import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { getShowtime } from '../showtimes';
import { catalogConfig } from '../config';

const pool = getPool('catalog');

export const handler = route({ access: 'public', params: uuidParam('id') }, async ({ params }) =>
  ok({ showtime: await getShowtime(pool, params.id, catalogConfig.CURRENCY) }),
);
