import { getPool } from '../../../layers/core/db';
import { consumerHandler } from '../../../layers/events/aws';
import { handleOnce } from '../../../layers/events/inbox';
import { applyShowtimeEvent } from '../showtimes';

const pool = getPool('booking');

export const handler = consumerHandler('booking-showtimes', async (event) => {
  await handleOnce(pool, 'booking-showtimes', event, (tx) => applyShowtimeEvent(tx, event));
});
