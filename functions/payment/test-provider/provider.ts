// The built-in test provider: locally it plays the card network, outside our system. It
// keeps its own sessions (schema test_provider, migrations/ beside this file), decides by
// test card number, and tells payment the outcome the way a real provider does — a signed
// webhook over HTTP, kept in a table of its own and retried until it is delivered.
// `testProvider()` is payment's adapter for it; `chargeSession`, `deliverWebhook` and the
// sender (`webhookSender`, `deliverDueWebhooks`) are the provider's own side, behind its page.
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

/**
 * Before the sender tries a webhook the payment page is already delivering: the page's own
 * tries (about 1.4 s) are over by then.
 */
const FIRST_RETRY_AFTER_SECONDS = 10;

/**
 * Charges a session once; a second attempt is refused as it would be by a real provider. The
 * webhook that tells payment is kept in the same statement, so it outlives whatever happens
 * between the charge and its delivery.
 */
export async function chargeSession(db: Queryable, sessionId: string, card: TestCard): Promise<ProviderWebhook> {
  const rule = TEST_CARDS[card];
  const status = rule.outcome === 'succeeded' ? 'paid' : 'declined';
  const id = `evt_${randomUUID()}`;
  const type = rule.outcome === 'succeeded' ? 'payment.succeeded' : 'payment.failed';
  const { rows } = await db.query(
    `WITH charged AS (
       UPDATE test_provider.sessions SET status = $2 WHERE id = $1 AND status = 'open' RETURNING id, amount, currency
     )
     INSERT INTO test_provider.webhook_events (id, session_id, body, next_attempt_at)
       SELECT $3, charged.id,
              jsonb_build_object('id', $3::text, 'type', $4::text, 'created', $5::bigint,
                                 'data', jsonb_strip_nulls(jsonb_build_object('sessionId', charged.id, 'amount', charged.amount, 'currency', charged.currency, 'reason', $6::text))),
              now() + make_interval(secs => $7)
         FROM charged
     RETURNING body`,
    [sessionId, status, id, type, Math.floor(Date.now() / 1000), 'reason' in rule ? rule.reason : null, FIRST_RETRY_AFTER_SECONDS],
  );
  if (!rows[0]) {
    const exists = await db.query('SELECT status FROM test_provider.sessions WHERE id = $1', [sessionId]);
    if (!exists.rowCount) throw new NotFound('Payment session');
    throw new Conflict(`The payment session is already ${exists.rows[0].status}`);
  }
  return rows[0].body as ProviderWebhook;
}

/** Posts one signed webhook, trying a few times at once; the HTTP status of the last try, 0 when none was answered. */
export async function deliverWebhook(url: string, secret: string, webhook: ProviderWebhook, attempts = 3): Promise<number> {
  const body = JSON.stringify(webhook);
  let last = 0;
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(Date.now() / 1000)) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      last = res.status;
      if (res.ok) return res.status;
      if (res.status < 500) return res.status; // refused for good: retrying will not help
    } catch {
      last = 0;
    }
    if (i < attempts - 1) await new Promise((r) => setTimeout(r, 200 * 2 ** i));
  }
  return last;
}

/**
 * Records how a try of a webhook ended: delivered, refused for good (4xx), or to be tried
 * again later — doubling from 2 s, at most a minute apart, for as long as it takes.
 */
export async function recordDelivery(db: Queryable, webhookId: string, status: number): Promise<void> {
  if (status >= 200 && status < 300) {
    await db.query('UPDATE test_provider.webhook_events SET delivered_at = now(), last_status = $2 WHERE id = $1', [webhookId, status]);
  } else if (status >= 400 && status < 500) {
    await db.query('UPDATE test_provider.webhook_events SET refused_at = now(), last_status = $2 WHERE id = $1', [webhookId, status]);
  } else {
    await db.query(
      `UPDATE test_provider.webhook_events SET attempts = attempts + 1, last_status = $2,
              next_attempt_at = now() + make_interval(secs => least(60, power(2, greatest(1, attempts + 1))))
        WHERE id = $1 AND delivered_at IS NULL`,
      [webhookId, status || null],
    );
  }
}

/**
 * The provider's sender: delivers every webhook that is due and not yet delivered, oldest
 * first. Each is leased before it is tried (its next try moved a minute on), so two senders
 * never post one at the same moment; a duplicate delivery would be harmless anyway, since
 * payment records each webhook once by its id.
 */
export async function deliverDueWebhooks(db: Queryable, url: string, secret: string, batch = 20): Promise<{ delivered: number; failed: number }> {
  const { rows } = await db.query(
    `UPDATE test_provider.webhook_events SET next_attempt_at = now() + interval '60 seconds'
      WHERE id IN (SELECT id FROM test_provider.webhook_events
                    WHERE delivered_at IS NULL AND refused_at IS NULL AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, body`,
    [batch],
  );
  let delivered = 0;
  for (const row of rows) {
    const status = await deliverWebhook(url, secret, row.body as ProviderWebhook, 1);
    await recordDelivery(db, row.id, status);
    if (status >= 200 && status < 300) delivered++;
  }
  return { delivered, failed: rows.length - delivered };
}

/** Runs the sender every `intervalMs` until stopped (locally, beside the event runner). */
export function webhookSender(db: Queryable, url: string, secret: string, opts: { intervalMs?: number; onError?: (err: unknown) => void } = {}) {
  let stopped = false;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (!stopped) {
      try {
        const { delivered, failed } = await deliverDueWebhooks(db, url, secret);
        if (delivered + failed > 0) continue;
      } catch (err) {
        opts.onError?.(err);
      }
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, opts.intervalMs ?? 1_000);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
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
