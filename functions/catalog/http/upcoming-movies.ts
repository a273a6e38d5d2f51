import { z } from 'zod';
import { route, ok, pageQuery } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { listMovies } from '../movies';
import { catalogConfig } from '../config';
import { genre } from '../schemas';

const pool = getPool('catalog');

// Movies not yet released, soonest first.
export const handler = route({ access: 'public', query: z.strictObject({ genre: genre.optional(), ...pageQuery }) }, async ({ query }) =>
  ok(await listMovies(pool, { ...query, upcoming: true }, catalogConfig.CINEMA_TIME_ZONE)),
);
