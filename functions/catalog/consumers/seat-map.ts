import { getPool } from '../../../layers/core/db';
import { consumerHandler } from '../../../layers/events/aws';
import { handleOnce } from '../../../layers/events/inbox';
import { applyBookingToSeatMap } from '../seat-map-events';

const pool = getPool('catalog');

export const handler = consumerHandler('catalog-seat-map', async (event) => {
  await handleOnce(pool, 'catalog-seat-map', event, (tx) => applyBookingToSeatMap(tx, event));
});
