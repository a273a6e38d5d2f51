// The provider's webhook. Public, but nothing is believed before the HMAC signature over
// the raw body checks out within the tolerance window.
import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { badRequest, unauthorized, validationFailed } from '../../../layers/core/errors';
import { zodDetails } from '../../../layers/core/http';
import { paymentConfig } from '../config';
import { applyWebhook } from '../payments';
import { SIGNATURE_HEADER, verifyWebhook } from '../webhook-signature';

const pool = getPool('payment');

const webhook = z.object({
  id: z.string().min(1).max(100),
  type: z.enum(['payment.succeeded', 'payment.failed', 'refund.succeeded']),
  created: z.number().int(),
  data: z.object({ sessionId: z.string().min(1).max(100), amount: z.number().int().min(0), currency: z.string().length(3), reason: z.string().max(200).optional() }),
});

export const handler = route({ access: 'public' }, async ({ event, correlationId }) => {
  const raw = typeof event.body === 'string' ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : JSON.stringify(event.body ?? '');
  const check = verifyWebhook(paymentConfig.PAYMENT_WEBHOOK_SECRET, event.headers?.[SIGNATURE_HEADER], raw, Math.floor(Date.now() / 1000), paymentConfig.WEBHOOK_TOLERANCE_SECONDS);
  if (!check.ok) throw unauthorized(`Webhook refused: ${check.reason}`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest('Webhook body is not JSON');
  }
  const parsed = webhook.safeParse(json);
  if (!parsed.success) throw validationFailed('Invalid webhook body', zodDetails(parsed.error));
  return ok({ received: true, outcome: await applyWebhook(pool, parsed.data, correlationId) });
});
