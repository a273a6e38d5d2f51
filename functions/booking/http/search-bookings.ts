import { z } from 'zod';
import { route, ok, pageQuery } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { operatorBookings } from '../operator-search';
import { directory, operatorBookingFilters } from '../operator-directory';

const pool = getPool('booking');

const query = z.strictObject({ showtimeId: z.uuid().optional(), ...operatorBookingFilters, ...pageQuery });

export const handler = route({ access: 'admin', query }, async ({ query }) => ok(await operatorBookings(pool, directory, query)));
