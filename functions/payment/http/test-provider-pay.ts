// The built-in test provider's payment page, as an API: the customer pays the provider (not
// us) with a test card, and the provider tells payment by signed webhook: at once from here,
// and, should that fail (or this process end first), from the provider's sender later.
import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { paymentConfig } from '../config';
import { testProviderDatabase } from '../providers';
import { chargeSession, deliverWebhook, recordDelivery, TEST_CARDS, type TestCard } from '../test-provider/provider';

const sessions = testProviderDatabase();

const body = z.strictObject({
  cardNumber: z.string().refine((c): c is TestCard => c in TEST_CARDS, { message: `use a test card: ${Object.keys(TEST_CARDS).join(', ')}` }),
});

export const handler = route({ access: 'public', params: z.object({ sessionId: z.string().regex(/^tps_[0-9a-f]{24}$/, 'not a payment session id') }), body }, async ({ params, body }) => {
  const hook = await chargeSession(sessions, params.sessionId, body.cardNumber as TestCard);
  const delivered = await deliverWebhook(paymentConfig.PAYMENT_WEBHOOK_URL, paymentConfig.PAYMENT_WEBHOOK_SECRET, hook);
  await recordDelivery(sessions, hook.id, delivered);
  return ok({ sessionId: params.sessionId, outcome: hook.type === 'payment.succeeded' ? 'succeeded' : 'failed', reason: hook.data.reason ?? null, webhookStatus: delivered });
});
