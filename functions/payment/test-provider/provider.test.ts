// The built-in test provider as payment's adapter: its own tables in a schema of their own
// (sessions opened before it had one are carried over), sessions charged once, refunds
// idempotent, webhooks believed only with a good signature, and each charge's webhook kept
// and tried again until payment has it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_URL } from '../../../layers/core/db';
import { InvalidInput, NotFound, NotSignedIn, ValidationFailed, Conflict } from '../../../layers/core/errors';
import { dropDatabase, ensureDatabase, migrate } from '../../../layers/core/migrate';
import { migrationsOf } from '../../domains';
import { chargeSession, deliverDueWebhooks, recordDelivery, testProvider } from './provider';
import http from 'node:http';
import { verifyWebhook } from './webhook-signature';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

const SERVER = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const name = `t_${randomBytes(5).toString('hex')}_payment`;
const url = Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();
const secret = 'whsec_test_' + randomBytes(16).toString('hex');
let db: pg.Pool;

beforeAll(async () => {
  await ensureDatabase(SERVER, name);
  const [own, provider] = migrationsOf('payment');
  await migrate(url, 'payment', own.folder);
  db = new pg.Pool({ connectionString: url, max: 2 });
  // a session opened when the provider's table was still payment's
  await db.query(`INSERT INTO test_provider_sessions (id, amount, currency, status) VALUES ('tps_${'0'.repeat(24)}', 2400, 'EUR', 'paid')`);
  expect(provider.schema).toBe('test_provider');
  expect(await migrate(url, 'payment/test_provider', provider.folder, { schema: provider.schema })).toEqual(['001_sessions.sql', '002_webhook_events.sql']);
  expect(await migrate(url, 'payment/test_provider', provider.folder, { schema: provider.schema })).toEqual([]);
});
afterAll(async () => {
  await db?.end();
  await dropDatabase(SERVER, name);
});

const provider = () => testProvider({ db, webhookSecret: secret, toleranceSeconds: 300, nowSeconds: () => 1_000_000 });

describe('the test provider', () => {
  it("keeps its records in its own schema, with the sessions payment's table held before", async () => {
    const { rows } = await db.query(`SELECT id, amount, currency, status FROM test_provider.sessions`);
    expect(rows).toEqual([{ id: `tps_${'0'.repeat(24)}`, amount: 2400, currency: 'EUR', status: 'paid' }]);
    const bookkeeping = await db.query(`SELECT table_schema FROM information_schema.tables WHERE table_name = 'schema_migrations' ORDER BY 1`);
    expect(bookkeeping.rows.map((r) => r.table_schema)).toEqual(['public', 'test_provider']);
  });

  it('opens a session, charges it once by test card, and refunds it once however often asked', async () => {
    const sessionId = await provider().openSession({ amount: 1800, currency: 'EUR' });
    expect(sessionId).toMatch(/^tps_[0-9a-f]{24}$/);
    expect(provider().paymentPage(sessionId)).toEqual({ type: 'pay-with-test-provider', url: `/test-provider/sessions/${sessionId}/pay`, pageUrl: `/test-provider/pay/${sessionId}`, testCards: ['4242424242424242', '4000000000000002', '4000000000009995'] });
    const hook = await chargeSession(db, sessionId, '4242424242424242');
    expect(hook).toMatchObject({ type: 'payment.succeeded', data: { sessionId, amount: 1800, currency: 'EUR' } });
    await expect(chargeSession(db, sessionId, '4242424242424242')).rejects.toThrow(Conflict);
    await expect(chargeSession(db, 'tps_' + 'f'.repeat(24), '4242424242424242')).rejects.toThrow(NotFound);
    await provider().refund(sessionId);
    await provider().refund(sessionId);
    expect((await db.query('SELECT status FROM test_provider.sessions WHERE id = $1', [sessionId])).rows[0].status).toBe('refunded');
  });

  it('leaves a declined session unrefunded', async () => {
    const sessionId = await provider().openSession({ amount: 900, currency: 'EUR' });
    expect((await chargeSession(db, sessionId, '4000000000000002')).data.reason).toBe('card declined');
    await provider().refund(sessionId);
    expect((await db.query('SELECT status FROM test_provider.sessions WHERE id = $1', [sessionId])).rows[0].status).toBe('declined');
  });

  it('believes a webhook only with a good signature, then only with a body of its own shape', () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', created: 1_000_000, data: { sessionId: 'tps_1', amount: 2400, currency: 'EUR' } });
    const signed = (b: string, at = 1_000_000, key = secret) => ({ [SIGNATURE_HEADER]: signWebhook(key, b, at) });
    expect(provider().readWebhook(signed(body), body)).toEqual(JSON.parse(body));
    expect(() => provider().readWebhook({}, body)).toThrow(new NotSignedIn(`Webhook refused: missing ${SIGNATURE_HEADER} header`));
    expect(() => provider().readWebhook(signed(body, 1_000_000 - 301), body)).toThrow(/^Webhook refused: signature timestamp is outside the tolerance window$/);
    expect(() => provider().readWebhook(signed(body, 1_000_000, 'another-secret'), body)).toThrow(NotSignedIn);
    expect(() => provider().readWebhook(signed('not json'), 'not json')).toThrow(new InvalidInput('Webhook body is not JSON'));
    const odd = JSON.stringify({ id: 'evt_2', type: 'payment.disputed', created: 1, data: {} });
    try {
      provider().readWebhook(signed(odd), odd);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationFailed);
      expect((err as ValidationFailed).message).toBe('Invalid webhook body');
      expect((err as ValidationFailed).issues.map((i) => i.path)).toEqual(expect.arrayContaining(['type', 'data.sessionId']));
    }
  });

  describe('its webhooks, kept until delivered', () => {
    /** Payment's webhook endpoint, played by a server that answers each delivery as `answer` says for its webhook (else 200). */
    async function endpoint(answer: (webhookId: string, nth: number) => number | undefined) {
      const received: { id: string; signed: boolean }[] = [];
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          const signed = verifyWebhook(secret, req.headers[SIGNATURE_HEADER] as string, body, Math.floor(Date.now() / 1000), 300).ok;
          const id = JSON.parse(body).id;
          received.push({ id, signed });
          res.writeHead(answer(id, received.filter((r) => r.id === id).length) ?? 200).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/payments/webhook`;
      return { url, received, close: () => new Promise((r) => server.close(r)) };
    }
    const kept = async (id: string) => (await db.query('SELECT attempts, last_status, delivered_at, refused_at, next_attempt_at > now() AS later FROM test_provider.webhook_events WHERE id = $1', [id])).rows[0];
    const due = (id: string) => db.query('UPDATE test_provider.webhook_events SET next_attempt_at = now() WHERE id = $1', [id]);

    it('keeps the webhook with the charge, and tries it again while the endpoint is down until it is delivered', async () => {
      const sessionId = await provider().openSession({ amount: 1200, currency: 'EUR' });
      const hook = await chargeSession(db, sessionId, '4242424242424242');
      expect(hook).toMatchObject({ id: expect.stringMatching(/^evt_/), type: 'payment.succeeded', data: { sessionId, amount: 1200, currency: 'EUR' } });
      // kept, not due yet: the payment page is delivering it
      expect(await kept(hook.id)).toMatchObject({ attempts: 0, delivered_at: null, later: true });
      const payment = await endpoint((_, nth) => (nth === 1 ? 503 : undefined));
      try {
        expect(await deliverDueWebhooks(db, payment.url, secret)).toEqual({ delivered: 0, failed: 0 });
        // the page's own tries found nobody (the process went down before it could record even that, or it did)
        await recordDelivery(db, hook.id, 0);
        expect(await kept(hook.id)).toMatchObject({ attempts: 1, last_status: null, delivered_at: null, later: true });
        await due(hook.id);
        expect(await deliverDueWebhooks(db, payment.url, secret)).toEqual({ delivered: 0, failed: 1 });
        expect(await kept(hook.id)).toMatchObject({ attempts: 2, last_status: 503, delivered_at: null, later: true });
        await due(hook.id);
        expect(await deliverDueWebhooks(db, payment.url, secret)).toEqual({ delivered: 1, failed: 0 });
        expect(await kept(hook.id)).toMatchObject({ last_status: 200, delivered_at: expect.any(Date) });
        await due(hook.id);
        expect(await deliverDueWebhooks(db, payment.url, secret)).toEqual({ delivered: 0, failed: 0 });
        expect(payment.received).toEqual([
          { id: hook.id, signed: true },
          { id: hook.id, signed: true },
        ]);
      } finally {
        await payment.close();
      }
    });

    it('stops at a refusal for good (4xx), and two senders at once post each webhook once', async () => {
      const refusedSession = await provider().openSession({ amount: 700, currency: 'EUR' });
      const refused = await chargeSession(db, refusedSession, '4000000000009995');
      expect(refused.data.reason).toBe('insufficient funds');
      await due(refused.id);
      const hooks = [];
      for (let i = 0; i < 6; i++) {
        const hook = await chargeSession(db, await provider().openSession({ amount: 100 + i, currency: 'EUR' }), '4242424242424242');
        await due(hook.id);
        hooks.push(hook.id);
      }
      const payment = await endpoint((id) => (id === refused.id ? 409 : undefined));
      try {
        const rounds = await Promise.all([deliverDueWebhooks(db, payment.url, secret, 4), deliverDueWebhooks(db, payment.url, secret, 4)]);
        const more = await deliverDueWebhooks(db, payment.url, secret, 10);
        expect(rounds.concat(more).reduce((n, r) => n + r.delivered + r.failed, 0)).toBe(7);
        expect(await kept(refused.id)).toMatchObject({ last_status: 409, refused_at: expect.any(Date), delivered_at: null });
        const ids = payment.received.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.sort()).toEqual([refused.id, ...hooks].sort());
        await due(refused.id);
        expect(await deliverDueWebhooks(db, payment.url, secret)).toEqual({ delivered: 0, failed: 0 });
      } finally {
        await payment.close();
      }
    });
  });
});
