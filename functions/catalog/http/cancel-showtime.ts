import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { cancelShowtime } from '../showtimes';
import { catalogConfig } from '../config';

const pool = getPool('catalog');

export const handler = route({ access: 'admin', params: uuidParam('id') }, async ({ params, correlationId }) =>
  ok({ showtime: await cancelShowtime(pool, params.id, catalogConfig.CURRENCY, correlationId) }),
);
