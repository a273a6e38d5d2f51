import { getPool } from '../../../layers/core/db';
import type { ConsumerQueue } from '../../../layers/contracts/consumers';
import { consumerHandler } from '../../../layers/contracts/consumer-handler';
import { handleOnce } from '../../../layers/events/inbox';
import { applyShowtimeEvent } from '../showtimes';

const queue: ConsumerQueue = 'booking-showtimes';
const pool = getPool('booking');

export const handler = consumerHandler(queue, async (event) => {
  await handleOnce(pool, queue, event, (tx) => applyShowtimeEvent(tx, event));
});
