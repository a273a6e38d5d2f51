import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { showtimeSeatMap } from '../showtimes';
import { catalogConfig } from '../config';

const pool = getPool('catalog');

export const handler = route({ access: 'public', params: uuidParam('id') }, async ({ params }) =>
  ok(await showtimeSeatMap(pool, params.id, catalogConfig.CURRENCY)),
);
