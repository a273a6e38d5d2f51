// What a door device downloads to go on checking a showtime's tickets offline.
import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { ticketKeys } from '../ticket-keys';
import { doorManifest } from '../checkins';

const pool = getPool('booking');

export const handler = route({ access: 'door', params: uuidParam('id') }, async ({ params }) => ok({ manifest: await doorManifest(pool, ticketKeys(), params.id) }));
