import { z } from 'zod';
import { route, ok, pageQuery, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { NotFound } from '../../../layers/core/errors';
import { knowsShowtime } from '../bookings';
import { operatorBookings } from '../operator-search';
import { directory, operatorBookingFilters } from '../operator-directory';

const pool = getPool('booking');

const query = z.strictObject({ ...operatorBookingFilters, ...pageQuery });

export const handler = route({ access: 'admin', params: uuidParam('id'), query }, async ({ params, query }) => {
  if (!(await knowsShowtime(pool, params.id))) throw new NotFound('Showtime');
  return ok(await operatorBookings(pool, directory, { ...query, showtimeId: params.id }));
});
