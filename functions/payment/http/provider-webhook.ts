// The provider's webhook. Public, but nothing is believed before the provider's adapter
// has checked the signature over the raw body (for the test provider: an HMAC within the
// tolerance window).
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { applyWebhook } from '../payments';
import { paymentProvider } from '../providers';

const pool = getPool('payment');
const provider = paymentProvider();

export const handler = route({ access: 'public' }, async ({ event, correlationId }) => {
  const raw = typeof event.body === 'string' ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : JSON.stringify(event.body ?? '');
  const webhook = provider.readWebhook(event.headers ?? {}, raw);
  return ok({ received: true, outcome: await applyWebhook(pool, webhook, correlationId) });
});
