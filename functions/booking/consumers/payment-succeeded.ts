import { getPool } from '../../../layers/core/db';
import { consumerHandler } from '../../../layers/events/aws';
import { handleOnce } from '../../../layers/events/inbox';
import { paymentSucceededData } from '../../payment/events';
import { settlePayment } from '../bookings';

const pool = getPool('booking');

export const handler = consumerHandler('booking-payment-succeeded', async (event, { log }) => {
  const paid = paymentSucceededData.parse(event.data);
  await handleOnce(pool, 'booking-payment-succeeded', event, async (tx) => {
    const outcome = await settlePayment(tx, paid, event.correlationId);
    log.info('payment settled', { outcome, checkoutId: paid.checkoutId, paymentId: paid.paymentId });
  });
});
