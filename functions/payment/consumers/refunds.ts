// booking.rejected and booking.cancelled: the money goes back (payment.refunded).
import { getPool } from '../../../layers/core/db';
import { consumerHandler } from '../../../layers/events/aws';
import { handleOnce } from '../../../layers/events/inbox';
import { bookingCancelledData, bookingRejectedData } from '../../booking/events';
import { refundPayment } from '../payments';
import { paymentProvider } from '../providers';

const pool = getPool('payment');
const provider = paymentProvider();

export const handler = consumerHandler('payment-refunds', async (event, { log }) => {
  const d = event.type === 'booking.cancelled' ? bookingCancelledData.parse(event.data) : bookingRejectedData.parse(event.data);
  await handleOnce(pool, 'payment-refunds', event, async (tx) => {
    const outcome = await refundPayment(tx, provider, d.paymentId, d.reason, event.correlationId);
    log.info('refund', { outcome, paymentId: d.paymentId });
  });
});
