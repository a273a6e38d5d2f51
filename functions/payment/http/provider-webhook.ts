// The provider's webhook. Public, but nothing is believed before the provider's adapter
// has checked the signature over the raw body (for the test provider: an HMAC within the
// tolerance window).
import { route, ok, rawBody } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { applyWebhook } from '../payments';
import { paymentProvider } from '../providers';

const pool = getPool('payment');
const provider = paymentProvider();

export const handler = route({ access: 'public' }, async ({ event, correlationId }) => {
  const webhook = provider.readWebhook(event.headers ?? {}, rawBody(event));
  return ok({ received: true, outcome: await applyWebhook(pool, webhook, correlationId) });
});
