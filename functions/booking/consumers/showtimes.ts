import { getPool } from '../../../layers/core/db';
import type { ConsumerQueue } from '../../../layers/contracts/consumers';
import { consumerHandler } from '../../../layers/events/aws';
import { handleOnce } from '../../../layers/events/inbox';
import { applyShowtimeEvent } from '../showtimes';
import { plainFailures } from '../../../layers/core/invocation';

const queue: ConsumerQueue = 'booking-showtimes';
const pool = getPool('booking');

// a failure is answered without our stack trace (layers/core/invocation.ts)
export const handler = plainFailures(queue, consumerHandler(queue, async (event) => {
  await handleOnce(pool, queue, event, (tx) => applyShowtimeEvent(tx, event));
}));
