import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { listHalls } from '../halls';

const pool = getPool('catalog');

export const handler = route({ access: 'public' }, async () => ok({ items: await listHalls(pool) }));
