import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { bookingStats } from '../bookings';

const pool = getPool('booking');

export const handler = route({ access: 'signed-in' }, async ({ caller }) => ok({ stats: await bookingStats(pool, caller.userId) }));
