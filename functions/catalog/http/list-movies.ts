import { z } from 'zod';
import { route, ok, pageQuery } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { listMovies } from '../movies';
import { catalogConfig } from '../config';
import { genre, isoDate } from '../schemas';

const pool = getPool('catalog');

const query = z.strictObject({ search: z.string().trim().min(1).max(100).optional(), genre: genre.optional(), date: isoDate.optional(), ...pageQuery });

export const handler = route({ access: 'public', query }, async ({ query }) => ok(await listMovies(pool, query, catalogConfig.CINEMA_TIME_ZONE)));
