import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { paymentConfig } from '../config';
import { lambdaCheckoutSource } from '../checkout-source';
import { startPayment } from '../payments';
import { paymentProvider } from '../providers';

const pool = getPool('payment');
const checkouts = lambdaCheckoutSource({ functionName: paymentConfig.BOOKING_CHECKOUT_FUNCTION, endpoint: paymentConfig.LAMBDA_ENDPOINT, region: paymentConfig.AWS_REGION });
const provider = paymentProvider();

// The body names the checkout only: what it costs is booking's answer, not the client's.
export const handler = route({ access: 'signed-in', body: z.strictObject({ checkoutId: z.uuid() }) }, async ({ caller, body }) => {
  const payment = await startPayment(pool, checkouts, provider, caller.userId, body.checkoutId);
  return created({ payment, nextAction: provider.paymentPage(payment.providerSessionId) });
});
