// The built-in test provider: locally it plays the card network, outside our system. It
// keeps its own sessions, decides by test card number, and tells payment the outcome the
// way a real provider does — a signed webhook over HTTP, retried if delivery fails.
import { randomBytes, randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../layers/core/errors';
import type { Queryable } from '../../layers/core/db';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

export const TEST_CARDS = {
  '4242424242424242': { outcome: 'succeeded' },
  '4000000000000002': { outcome: 'failed', reason: 'card declined' },
  '4000000000009995': { outcome: 'failed', reason: 'insufficient funds' },
} as const;
export type TestCard = keyof typeof TEST_CARDS;

export interface ProviderWebhook {
  id: string;
  type: 'payment.succeeded' | 'payment.failed' | 'refund.succeeded';
  created: number;
  data: { sessionId: string; amount: number; currency: string; reason?: string };
}

export async function openSession(db: Queryable, amount: number, currency: string): Promise<string> {
  const id = `tps_${randomBytes(12).toString('hex')}`;
  await db.query('INSERT INTO test_provider_sessions (id, amount, currency) VALUES ($1, $2, $3)', [id, amount, currency]);
  return id;
}

/** Charges a session once; a second attempt is refused as it would be by a real provider. */
export async function chargeSession(db: Queryable, sessionId: string, card: TestCard): Promise<ProviderWebhook> {
  const rule = TEST_CARDS[card];
  const status = rule.outcome === 'succeeded' ? 'paid' : 'declined';
  const { rows } = await db.query(`UPDATE test_provider_sessions SET status = $2 WHERE id = $1 AND status = 'open' RETURNING amount, currency`, [sessionId, status]);
  if (!rows[0]) {
    const exists = await db.query('SELECT status FROM test_provider_sessions WHERE id = $1', [sessionId]);
    if (!exists.rowCount) throw notFound('Payment session');
    throw conflict(`The payment session is already ${exists.rows[0].status}`);
  }
  return {
    id: `evt_${randomUUID()}`,
    type: rule.outcome === 'succeeded' ? 'payment.succeeded' : 'payment.failed',
    created: Math.floor(Date.now() / 1000),
    data: { sessionId, amount: rows[0].amount, currency: rows[0].currency, ...('reason' in rule ? { reason: rule.reason } : {}) },
  };
}

/** Refunds a paid session; refunding twice is a no-op, as with an idempotency key. */
export async function refundSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query(`UPDATE test_provider_sessions SET status = 'refunded' WHERE id = $1 AND status IN ('paid', 'refunded')`, [sessionId]);
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
  const { rows } = await db.query('SELECT id, amount, currency, status FROM test_provider_sessions WHERE id = $1', [sessionId]);
  if (!rows[0]) throw notFound('Payment session');
  return {
    sessionId: rows[0].id as string,
    amount: rows[0].amount as number,
    currency: rows[0].currency as string,
    status: rows[0].status as string,
    testCards: Object.entries(TEST_CARDS).map(([number, rule]) => ({ number, outcome: 'reason' in rule ? rule.reason : 'payment succeeds' })),
  };
}
