// The built-in test provider: locally it plays the card network, outside our system. It
// keeps its own sessions (schema test_provider, migrations/ beside this file), decides by
// test card number, and tells payment the outcome the way a real provider does — a signed
// webhook over HTTP, retried if delivery fails. `testProvider()` is payment's adapter for
// it; `chargeSession` and `deliverWebhook` are the provider's own side, behind its page.
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Conflict, InvalidInput, NotFound, NotSignedIn, ValidationFailed, issuesOf } from '../../../layers/core/errors';
import type { Queryable } from '../../../layers/core/db';
import type { PaymentProvider, ProviderWebhook } from '../provider';
import { SIGNATURE_HEADER, signWebhook, verifyWebhook } from './webhook-signature';

export const TEST_CARDS = {
  '4242424242424242': { outcome: 'succeeded' },
  '4000000000000002': { outcome: 'failed', reason: 'card declined' },
  '4000000000009995': { outcome: 'failed', reason: 'insufficient funds' },
} as const;
export type TestCard = keyof typeof TEST_CARDS;

const webhookBody = z.object({
  id: z.string().min(1).max(100),
  type: z.enum(['payment.succeeded', 'payment.failed', 'refund.succeeded']),
  created: z.number().int(),
  data: z.object({ sessionId: z.string().min(1).max(100), amount: z.number().int().min(0), currency: z.string().length(3), reason: z.string().max(200).optional() }),
});

export interface TestProviderOptions {
  /** Where its tables are (payment's database: they sit in a schema of their own). */
  db: Queryable;
  /** Shared with payment; signs the webhooks. */
  webhookSecret: string;
  toleranceSeconds: number;
  nowSeconds?: () => number;
}

export function testProvider(opts: TestProviderOptions): PaymentProvider {
  const nowSeconds = opts.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return {
    name: 'test',
    async openSession({ amount, currency }) {
      const id = `tps_${randomBytes(12).toString('hex')}`;
      await opts.db.query('INSERT INTO test_provider.sessions (id, amount, currency) VALUES ($1, $2, $3)', [id, amount, currency]);
      return id;
    },
    paymentPage(sessionId) {
      return { type: 'pay-with-test-provider', url: `/test-provider/sessions/${sessionId}/pay`, pageUrl: `/test-provider/pay/${sessionId}`, testCards: Object.keys(TEST_CARDS) };
    },
    readWebhook(headers, rawBody) {
      const check = verifyWebhook(opts.webhookSecret, headers[SIGNATURE_HEADER], rawBody, nowSeconds(), opts.toleranceSeconds);
      if (!check.ok) throw new NotSignedIn(`Webhook refused: ${check.reason}`);
      let json: unknown;
      try {
        json = JSON.parse(rawBody);
      } catch {
        throw new InvalidInput('Webhook body is not JSON');
      }
      const parsed = webhookBody.safeParse(json);
      if (!parsed.success) throw new ValidationFailed('Invalid webhook body', issuesOf(parsed.error));
      return parsed.data;
    },
    // refunding twice is a no-op, as with an idempotency key
    async refund(sessionId) {
      await opts.db.query(`UPDATE test_provider.sessions SET status = 'refunded' WHERE id = $1 AND status IN ('paid', 'refunded')`, [sessionId]);
    },
  };
}

/** Charges a session once; a second attempt is refused as it would be by a real provider. */
export async function chargeSession(db: Queryable, sessionId: string, card: TestCard): Promise<ProviderWebhook> {
  const rule = TEST_CARDS[card];
  const status = rule.outcome === 'succeeded' ? 'paid' : 'declined';
  const { rows } = await db.query(`UPDATE test_provider.sessions SET status = $2 WHERE id = $1 AND status = 'open' RETURNING amount, currency`, [sessionId, status]);
  if (!rows[0]) {
    const exists = await db.query('SELECT status FROM test_provider.sessions WHERE id = $1', [sessionId]);
    if (!exists.rowCount) throw new NotFound('Payment session');
    throw new Conflict(`The payment session is already ${exists.rows[0].status}`);
  }
  return {
    id: `evt_${randomUUID()}`,
    type: rule.outcome === 'succeeded' ? 'payment.succeeded' : 'payment.failed',
    created: Math.floor(Date.now() / 1000),
    data: { sessionId, amount: rows[0].amount, currency: rows[0].currency, ...('reason' in rule ? { reason: rule.reason } : {}) },
  };
}

export async function deliverWebhook(url: string, secret: string, webhook: ProviderWebhook, attempts = 3): Promise<number> {
  const body = JSON.stringify(webhook);
  let last = 0;
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(Date.now() / 1000)) },
        body,
      });
      last = res.status;
      if (res.ok) return res.status;
      if (res.status < 500) return res.status; // refused for good: retrying will not help
    } catch {
      last = 0;
    }
    await new Promise((r) => setTimeout(r, 200 * 2 ** i));
  }
  return last;
}

/** What the provider's own payment page shows: the amount asked, and whether it can still be paid. */
export async function sessionOf(db: Queryable, sessionId: string) {
  const { rows } = await db.query('SELECT id, amount, currency, status FROM test_provider.sessions WHERE id = $1', [sessionId]);
  if (!rows[0]) throw new NotFound('Payment session');
  return {
    sessionId: rows[0].id as string,
    amount: rows[0].amount as number,
    currency: rows[0].currency as string,
    status: rows[0].status as string,
    testCards: Object.entries(TEST_CARDS).map(([number, rule]) => ({ number, outcome: 'reason' in rule ? rule.reason : 'payment succeeds' })),
  };
}
