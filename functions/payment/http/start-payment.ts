import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { paymentConfig } from '../config';
import { lambdaCheckoutSource } from '../checkout-source';
import { startPayment } from '../payments';

const pool = getPool('payment');
const checkouts = lambdaCheckoutSource({ functionName: paymentConfig.BOOKING_CHECKOUT_FUNCTION, endpoint: paymentConfig.LAMBDA_ENDPOINT, region: paymentConfig.AWS_REGION });

// The body names the checkout only: what it costs is booking's answer, not the client's.
export const handler = route({ access: 'signed-in', body: z.strictObject({ checkoutId: z.uuid() }) }, async ({ caller, body }) => {
  const payment = await startPayment(pool, checkouts, caller.userId, body.checkoutId);
  return created({
    payment,
    nextAction: { type: 'pay-with-test-provider', url: `/test-provider/sessions/${payment.providerSessionId}/pay`, pageUrl: `/test-provider/pay/${payment.providerSessionId}`, testCards: ['4242424242424242', '4000000000000002', '4000000000009995'] },
  });
});
