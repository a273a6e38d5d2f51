import { z } from 'zod';
import { route, ok, pageQuery } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { listShowtimes } from '../showtimes';
import { catalogConfig } from '../config';
import { isoDate } from '../schemas';

const pool = getPool('catalog');

const query = z.strictObject({ movieId: z.uuid().optional(), hallId: z.uuid().optional(), date: isoDate.optional(), ...pageQuery });

export const handler = route({ access: 'public', query }, async ({ query }) =>
  ok(await listShowtimes(pool, query, { timeZone: catalogConfig.CINEMA_TIME_ZONE, currency: catalogConfig.CURRENCY })),
);
