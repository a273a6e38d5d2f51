// booking.rejected and booking.cancelled: the money goes back (payment.refunded).
import { getPool } from '../../../layers/core/db';
import type { ConsumerQueue } from '../../../layers/contracts/consumers';
import { bookingCancelledData, bookingRejectedData } from '../../../layers/contracts/events';
import { consumerHandler } from '../../../layers/contracts/consumer-handler';
import { handleOnce } from '../../../layers/events/inbox';
import { refundPayment } from '../payments';
import { paymentProvider } from '../providers';

const queue: ConsumerQueue = 'payment-refunds';
const pool = getPool('payment');
const provider = paymentProvider();

export const handler = consumerHandler(queue, async (event, { log }) => {
  const d = event.type === 'booking.cancelled' ? bookingCancelledData.parse(event.data) : bookingRejectedData.parse(event.data);
  await handleOnce(pool, queue, event, async (tx) => {
    const outcome = await refundPayment(tx, provider, d.paymentId, d.reason, event.correlationId);
    log.info('refund', { outcome, paymentId: d.paymentId });
  });
});
