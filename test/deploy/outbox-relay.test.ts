// The scheduled outbox relay the deployed stages run (infra/aws/outbox-relay.ts), invoked the
// way EventBridge invokes it, against this machine's PostgreSQL and an embedded SQS endpoint
// holding the queues CloudFormation would create.
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinemaTopology } from '../../layers/contracts/consumers';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../infra/local/transport';
import { closePools, withTransaction } from '../../layers/core/db';
import { newEvent } from '../../layers/events/envelope';
import { enqueue } from '../../layers/events/outbox';
import { assertSqsTopology, deleteSqsTopology, localSqsClient } from '../../layers/events/sqs';
import { createTestDatabases, type TestDatabases } from '../support/stack';
import { freePort } from '../support/ports';
import { consumerAuthenticator, generateEventKeySettings } from '../../layers/contracts/event-keys';
import { parseEnvelope } from '../../layers/events/envelope';

const eventKeys = generateEventKeySettings();

const WINDOW_SECONDS = 2;
let db: TestDatabases;
let sqs: EmbeddedSqs;
let urls: Map<string, string>;
const topology = cinemaTopology({ prefix: `relay-${process.pid}-` });
let client: ReturnType<typeof localSqsClient>;
let handler: () => Promise<{ domain: string; drained: number }>;

beforeAll(async () => {
  db = await createTestDatabases();
  sqs = await startEmbeddedSqs(await freePort());
  client = localSqsClient(sqs.endpoint);
  urls = await assertSqsTopology(client, topology, { emulator: 'local-aws-sqs' });
  Object.assign(process.env, {
    ...db.env,
    RELAY_DOMAIN: 'booking',
    RELAY_WINDOW_SECONDS: String(WINDOW_SECONDS),
    EVENT_TRANSPORT: 'sqs',
    SQS_ENDPOINT_URL: sqs.endpoint,
    SQS_EMULATOR: 'local-aws-sqs',
    EVENT_NAME_PREFIX: topology.prefix,
    EVENT_SIGNING_KEY_BOOKING: eventKeys.EVENT_SIGNING_KEY_BOOKING,
    LOG_LEVEL: 'warn',
  });
  // its configuration is read when the module loads, as in Lambda
  ({ handler } = await import('../../infra/aws/outbox-relay'));
});
afterAll(async () => {
  await closePools();
  await deleteSqsTopology(client, topology).catch(() => undefined);
  client?.destroy();
  await sqs?.stop();
  await db?.drop();
});

const confirmed = () =>
  newEvent('booking.confirmed', { bookingId: crypto.randomUUID(), paymentId: crypto.randomUUID(), showtimeId: crypto.randomUUID(), seats: ['A1'], amount: 1000, currency: 'EUR' } as never, {
    source: 'booking',
  });

// what the queue's consumer would accept: signed by booking's relay
const genuine = consumerAuthenticator('catalog-seat-map', eventKeys);

async function received(queue: string): Promise<string[]> {
  const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: urls.get(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  return Messages.map((m) => {
    const parsed = parseEnvelope(m.Body!);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(genuine(parsed.event)).toEqual({ ok: true });
    return parsed.event.id;
  });
}

describe('the scheduled outbox relay', () => {
  it('publishes what waited, then what commits during its window, to every queue bound to the type', async () => {
    const pool = db.pool('booking');
    const waiting = confirmed();
    await withTransaction(pool, (tx) => enqueue(tx, waiting));
    const late = confirmed();

    const started = Date.now();
    const invocation = handler();
    await new Promise((r) => setTimeout(r, 500));
    await withTransaction(pool, (tx) => enqueue(tx, late));
    const result = await invocation;

    expect(result).toEqual({ domain: 'booking', drained: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1000);
    const { rows } = await pool.query('SELECT event_id, published_at FROM outbox ORDER BY position');
    expect(rows.map((r) => [r.event_id, r.published_at !== null])).toEqual([
      [waiting.id, true],
      [late.id, true],
    ]);
    // booking.confirmed is bound to the seat map and the ledger, not to refunds
    for (const queue of ['catalog-seat-map', 'ledger-recorder']) expect((await received(queue)).sort()).toEqual([waiting.id, late.id].sort());
    expect(await received('payment-refunds')).toEqual([]);
  });
});
