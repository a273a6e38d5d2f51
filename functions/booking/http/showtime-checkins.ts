import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { showtimeCheckins } from '../checkins';

const pool = getPool('booking');

export const handler = route({ access: 'door', params: uuidParam('id') }, async ({ params }) => ok(await showtimeCheckins(pool, params.id)));
