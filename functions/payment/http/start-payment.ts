import { z } from 'zod';
import { route, created, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { paymentConfig } from '../config';
import { lambdaCheckoutSource } from '../checkout-source';
import { nextStepOf, startPayment } from '../payments';
import { paymentProvider } from '../providers';

const pool = getPool('payment');
const checkouts = lambdaCheckoutSource({ functionName: paymentConfig.BOOKING_CHECKOUT_FUNCTION, endpoint: paymentConfig.LAMBDA_ENDPOINT, region: paymentConfig.AWS_REGION });
const provider = paymentProvider();

// The body names the checkout only: what it costs is booking's answer, not the client's.
// 201 with a new attempt; 200 with the live one. Only a pending payment offers a next action
// (the provider's page): a paid one has nothing left to do.
export const handler = route({ access: 'signed-in', body: z.strictObject({ checkoutId: z.uuid() }) }, async ({ caller, body }) => {
  const { payment, made } = await startPayment(pool, checkouts, provider, caller.userId, body.checkoutId);
  const answer = { payment, nextAction: payment.status === 'pending' ? provider.paymentPage(payment.providerSessionId) : null, nextStep: nextStepOf(payment) };
  return made ? created(answer) : ok(answer);
});
