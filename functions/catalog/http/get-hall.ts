import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { getHall, hallSeats } from '../halls';
import { seatMap } from '../layout';

const pool = getPool('catalog');

// The hall with its empty seat map, as operators lay it out.
export const handler = route({ access: 'public', params: uuidParam('id') }, async ({ params }) => {
  const hall = await getHall(pool, params.id);
  const map = seatMap(await hallSeats(pool, hall.id), hall.categories, new Map());
  return ok({ hall: { ...hall, rows: map.rows } });
});
