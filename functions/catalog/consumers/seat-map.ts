import { getPool } from '../../../layers/core/db';
import type { ConsumerQueue } from '../../../layers/contracts/consumers';
import { consumerHandler } from '../../../layers/contracts/consumer-handler';
import { handleOnce } from '../../../layers/events/inbox';
import { applyBookingToSeatMap } from '../seat-map-events';

const queue: ConsumerQueue = 'catalog-seat-map';
const pool = getPool('catalog');

export const handler = consumerHandler(queue, async (event) => {
  await handleOnce(pool, queue, event, (tx) => applyBookingToSeatMap(tx, event));
});
