import { z } from 'zod';
import { route, ok, pageQuery } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { listBookings } from '../bookings';

const pool = getPool('booking');

export const handler = route({ access: 'signed-in', query: z.strictObject(pageQuery) }, async ({ caller, query }) =>
  ok(await listBookings(pool, caller.userId, query.page, query.pageSize)),
);
