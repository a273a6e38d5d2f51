// Deployed, a schedule runs this every minute: the built-in test provider's sender, which
// delivers the webhooks its payment page could not (our endpoint down, the page's process
// gone), for most of the minute. Locally the event runner runs the same sender until it stops.
import { paymentConfig } from '../config';
import { testProviderDatabase } from '../providers';
import { deliverDueWebhooks } from '../test-provider/provider';

const sessions = testProviderDatabase();

/** Room left at the end of the invocation for the delivery in progress (each try times out at 10 s). */
const HANDOVER_MS = 15_000;

export async function handler(_event: unknown, context?: { getRemainingTimeInMillis?: () => number }) {
  const until = Date.now() + (context?.getRemainingTimeInMillis?.() ?? 0) - HANDOVER_MS;
  let delivered = 0;
  let failed = 0;
  do {
    const round = await deliverDueWebhooks(sessions, paymentConfig.PAYMENT_WEBHOOK_URL, paymentConfig.PAYMENT_WEBHOOK_SECRET);
    delivered += round.delivered;
    failed += round.failed;
    if (round.delivered + round.failed === 0) await new Promise((r) => setTimeout(r, 1_000));
  } while (Date.now() < until);
  return { delivered, failed };
}
