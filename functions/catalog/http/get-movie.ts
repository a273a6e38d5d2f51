import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { getMovie } from '../movies';
import { listShowtimes } from '../showtimes';
import { catalogConfig } from '../config';

const pool = getPool('catalog');

export const handler = route({ access: 'public', params: uuidParam('id') }, async ({ params }) => {
  const movie = await getMovie(pool, params.id);
  const showtimes = await listShowtimes(pool, { movieId: movie.id, page: 1, pageSize: 50 }, { timeZone: catalogConfig.CINEMA_TIME_ZONE, currency: catalogConfig.CURRENCY });
  return ok({ movie, showtimes: showtimes.items });
});
