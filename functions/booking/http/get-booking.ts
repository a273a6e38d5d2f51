import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { getBooking } from '../bookings';

const pool = getPool('booking');

export const handler = route({ access: 'signed-in', params: uuidParam('id') }, async ({ caller, params }) => ok({ booking: await getBooking(pool, caller, params.id) }));
