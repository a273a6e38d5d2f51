// Events: what the bus adapter and the transactional outbox cost over raw amqplib.
// Baseline: a confirm channel publishing persistent messages to a durable queue and a
// consumer acking them, nothing else. Against it, in the same run: the same traffic through
// the RabbitMQ adapter (envelope validation, confirms, per-message handler and ack), and
// through the outbox (rows committed in PostgreSQL, relayed with confirms, then consumed).
// Needs RabbitMQ (RABBITMQ_URL) and PostgreSQL (DATABASE_URL), like the integration tests.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import pg from 'pg';
import { cinemaTopology } from '../layers/contracts/consumers';
import { DEFAULT_DATABASE_URL, withTransaction } from '../layers/core/db';
import type { Logger } from '../layers/core/log';
import { dropDatabase, ensureDatabase } from '../layers/core/migrate';
import { newEvent, type Envelope } from '../layers/events/envelope';
import { enqueue, startOutboxRelay } from '../layers/events/outbox';
import { createRabbitBus, deleteTopology } from '../layers/events/rabbitmq';
import { OUTBOX_INBOX_SQL } from '../layers/events/sql';
import { median, percentile, printTable, repeat, type Row } from './lib/stats';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PG_SERVER_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const BURST = 2_000; // messages per throughput round
const ROUNDS = 5;
const SINGLES = 150; // one-at-a-time messages per latency round
const PREFETCH = 50;

// Retries and reconnects would be noise in the table; real failures still throw.
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

const tag = randomBytes(4).toString('hex');
const topology = cinemaTopology({ prefix: `bench-${tag}-` });
const rawExchange = `bench-${tag}-raw.events`;
const rawQueue = `bench-${tag}-raw`;
const dbName = `cinema_bench_events_${tag}`;

const event = (i: number) => newEvent('payment.success', { paymentId: `p-${i}`, cartId: `c-${i}`, amountCents: 2400, currency: 'EUR' }, { source: 'payment' });

/** Resolves when `count` arrivals have been seen; `arrive(id)` records one. */
function arrivals() {
  const at = new Map<string, number>();
  let want = Infinity;
  let done: () => void = () => undefined;
  return {
    arrive(id: string) {
      at.set(id, performance.now());
      if (at.size >= want) done();
    },
    until(count: number) {
      want = count;
      return at.size >= count ? Promise.resolve() : new Promise<void>((resolve) => (done = resolve));
    },
    at,
    reset() {
      at.clear();
      want = Infinity;
    },
  };
}

async function main() {
  const connection = await amqp.connect(RABBITMQ_URL);
  const admin = await connection.createChannel();
  await admin.assertExchange(rawExchange, 'topic', { durable: true });
  await admin.assertQueue(rawQueue, { durable: true });
  await admin.bindQueue(rawQueue, rawExchange, 'payment.success');

  await ensureDatabase(PG_SERVER_URL, dbName);
  const dbUrl = new URL(PG_SERVER_URL);
  dbUrl.pathname = `/${dbName}`;
  const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 4 });
  await pool.query(OUTBOX_INBOX_SQL);

  // Raw amqplib: confirm channel + consumer channel.
  const publisher = await connection.createConfirmChannel();
  const rawConsumer = await connection.createChannel();
  await rawConsumer.prefetch(PREFETCH);
  const raw = arrivals();
  await rawConsumer.consume(rawQueue, (msg) => {
    if (!msg) return;
    raw.arrive(msg.properties.messageId);
    rawConsumer.ack(msg);
  });
  const rawPublish = (e: Envelope) =>
    publisher.publish(rawExchange, e.type, Buffer.from(JSON.stringify(e)), { persistent: true, messageId: e.id, contentType: 'application/json' });

  // The adapter, consuming booking's queue for payment.success (ledger's queue also gets
  // each event; it is purged between rounds so it does not grow).
  const bus = createRabbitBus({ url: RABBITMQ_URL, topology, log: silent });
  const viaBus = arrivals();
  await bus.consume('booking-payment-succeeded', async (e) => viaBus.arrive(e.id), { concurrency: PREFETCH });
  const purgeLedger = () => admin.purgeQueue(`${topology.prefix}ledger-recorder`);

  // --- throughput: a burst of BURST messages, first publish to last handled ---
  const rawRates = await repeat(ROUNDS, async () => {
    raw.reset();
    const events = Array.from({ length: BURST }, (_, i) => event(i));
    const start = performance.now();
    for (const e of events) rawPublish(e);
    await publisher.waitForConfirms();
    await raw.until(BURST);
    return BURST / ((performance.now() - start) / 1000);
  });

  const busRates = await repeat(ROUNDS, async () => {
    viaBus.reset();
    const events = Array.from({ length: BURST }, (_, i) => event(i));
    const start = performance.now();
    await Promise.all(events.map((e) => bus.publish(e)));
    await viaBus.until(BURST);
    const rate = BURST / ((performance.now() - start) / 1000);
    await purgeLedger();
    return rate;
  });

  const outboxRates = await repeat(ROUNDS, async () => {
    viaBus.reset();
    await withTransaction(pool, async (tx) => {
      for (let i = 0; i < BURST; i++) await enqueue(tx, event(i));
    });
    const start = performance.now();
    const relay = startOutboxRelay(pool, bus, { listen: false, intervalMs: 10, log: silent });
    await viaBus.until(BURST);
    const rate = BURST / ((performance.now() - start) / 1000);
    await relay.stop();
    await purgeLedger();
    return rate;
  });

  // --- latency: one event at a time, from the publish call (or the start of the committing transaction) to its handler ---
  const oneAtATime = async (send: (e: Envelope) => Promise<unknown> | unknown, sink: ReturnType<typeof arrivals>) => {
    const samples: number[] = [];
    sink.reset();
    for (let i = 0; i < SINGLES; i++) {
      const e = event(i);
      const start = performance.now();
      await send(e);
      await sink.until(i + 1);
      samples.push(sink.at.get(e.id)! - start);
    }
    return samples;
  };

  const rawLatency = await repeat(ROUNDS, async () => oneAtATime((e) => rawPublish(e), raw));
  const busLatency = await repeat(ROUNDS, async () => {
    const samples = await oneAtATime((e) => void bus.publish(e), viaBus);
    await purgeLedger();
    return samples;
  });
  const relay = startOutboxRelay(pool, bus, { intervalMs: 5_000, log: silent });
  await new Promise((resolve) => setTimeout(resolve, 200)); // LISTEN in place
  const outboxLatency = await repeat(ROUNDS, async () => {
    const samples = await oneAtATime((e) => withTransaction(pool, (tx) => enqueue(tx, e)), viaBus);
    await purgeLedger();
    return samples;
  });
  await relay.stop();

  const p = (rounds: number[][], q: number) => median(rounds.map((r) => percentile(r, q)));
  const rawThroughput = median(rawRates);
  const rows: Row[] = [
    { figure: `raw amqplib: confirm-publish + consume, ${BURST} persistent msgs`, value: rawThroughput, unit: 'msg/s' },
    { figure: 'bus adapter: publish (confirmed) + consume', value: median(busRates), unit: 'msg/s', baseline: { name: 'raw', value: rawThroughput } },
    { figure: `outbox relay → bus → consume (${BURST} committed rows)`, value: median(outboxRates), unit: 'msg/s', baseline: { name: 'raw', value: rawThroughput } },
    { figure: 'raw amqplib: publish → consumer, one at a time, p50', value: p(rawLatency, 50), unit: 'ms' },
    { figure: 'bus adapter: publish → handler, one at a time, p50', value: p(busLatency, 50), unit: 'ms', baseline: { name: 'raw', value: p(rawLatency, 50) } },
    { figure: 'outbox: commit → NOTIFY → relay → handler, p50', value: p(outboxLatency, 50), unit: 'ms', baseline: { name: 'raw', value: p(rawLatency, 50) } },
    { figure: 'raw amqplib: one at a time, p95', value: p(rawLatency, 95), unit: 'ms' },
    { figure: 'bus adapter: one at a time, p95', value: p(busLatency, 95), unit: 'ms', baseline: { name: 'raw', value: p(rawLatency, 95) } },
    { figure: 'outbox: commit → handler, p95', value: p(outboxLatency, 95), unit: 'ms', baseline: { name: 'raw', value: p(rawLatency, 95) } },
  ];
  printTable(`Events — medians of ${ROUNDS} rounds (RabbitMQ and PostgreSQL on this machine)`, rows);

  await bus.close();
  await deleteTopology(admin, topology);
  await admin.deleteQueue(rawQueue);
  await admin.deleteExchange(rawExchange);
  await connection.close();
  await pool.end();
  await dropDatabase(PG_SERVER_URL, dbName);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
