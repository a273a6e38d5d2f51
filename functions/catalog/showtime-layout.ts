// A showtime's seat layout with its prices: the cacheable half of the seat map (the other
// half, who holds what, is booking's availability).
import type { Queryable } from '../../layers/core/db';
import { hallSeats } from './halls';
import { seatLayout, type SeatLayout } from './layout';
import { getShowtime, type Showtime } from './showtimes';

export async function showtimeLayout(db: Queryable, id: string, currency: string): Promise<{ showtime: Showtime; layout: SeatLayout }> {
  const showtime = await getShowtime(db, id, currency);
  return { showtime, layout: seatLayout(await hallSeats(db, showtime.hallId), showtime.prices) };
}
