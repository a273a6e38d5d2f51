import { getPool } from '../../../layers/core/db';
import type { ConsumerQueue } from '../../../layers/contracts/consumers';
import { paymentSucceededData } from '../../../layers/contracts/events';
import { consumerHandler } from '../../../layers/contracts/consumer-handler';
import { handleOnce } from '../../../layers/events/inbox';
import { settlePayment } from '../bookings';

const queue: ConsumerQueue = 'booking-payment-succeeded';
const pool = getPool('booking');

export const handler = consumerHandler(queue, async (event, { log }) => {
  const paid = paymentSucceededData.parse(event.data);
  await handleOnce(pool, queue, event, async (tx) => {
    const outcome = await settlePayment(tx, paid, event.correlationId);
    log.info('payment settled', { outcome, checkoutId: paid.checkoutId, paymentId: paid.paymentId });
  });
});
