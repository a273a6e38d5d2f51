import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { archiveHall } from '../halls';

const pool = getPool('catalog');

export const handler = route({ access: 'admin', params: uuidParam('id') }, async ({ params }) => ok({ hall: await archiveHall(pool, params.id) }));
