// Events: what the bus adapter and the transactional outbox cost over raw amqplib.
// Baseline: a confirm channel publishing persistent messages to a durable queue and a
// consumer acking them, nothing else. Against it, in the same run: the same traffic through
// the RabbitMQ adapter (envelope validation, confirms, per-message handler and ack), and
// through the outbox (rows committed in PostgreSQL, relayed with confirms, then consumed).
// A round of each path is BENCH_SECONDS of bursts, then BENCH_SECONDS of one message at a
// time; the three paths take turns round by round, after a warm-up round each.
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
import { arrivals, forSeconds, interleaved, median, percentile, printTable, type Row } from './lib/stats';
import { runBench, within } from './lib/checks';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PG_SERVER_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const BURST = 2_000; // messages per burst
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3); // of bursts, then of single messages, per round
const PREFETCH = 50;
const WAIT_MS = 60_000;

// Retries and reconnects would be noise in the table; real failures still throw.
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

const tag = randomBytes(4).toString('hex');
const topology = cinemaTopology({ prefix: `bench-${tag}-` });
const rawExchange = `bench-${tag}-raw.events`;
const rawQueue = `bench-${tag}-raw`;
const dbName = `cinema_bench_events_${tag}`;

const event = (i: number) => newEvent('payment.success', { paymentId: `p-${i}`, cartId: `c-${i}`, amountCents: 2400, currency: 'EUR' }, { source: 'payment' });

interface Round {
  /** messages per second over the round's bursts, first publish (or the relay's start) to last handled */
  rate: number;
  /** one message at a time: publish (or the start of the committing transaction) to its handler */
  latencies: number[];
  messages: number;
}

type Sink = ReturnType<typeof arrivals>;

/** Bursts for `seconds`: `burst(events)` sends them and resolves with the moment the clock started. */
async function bursts(seconds: number, sink: Sink, burst: (events: Envelope[]) => Promise<number>, after?: () => Promise<unknown>) {
  let messages = 0;
  let busy = 0;
  await forSeconds(seconds, async () => {
    const events = Array.from({ length: BURST }, (_, i) => event(i));
    const start = await burst(events);
    await within(WAIT_MS, `a burst of ${BURST} to be handled`, Promise.all(events.map((e) => sink.of(e.id))));
    busy += performance.now() - start;
    messages += BURST;
    await after?.();
  });
  return { rate: messages / (busy / 1000), messages };
}

/** One message at a time for `seconds`, each waited for before the next. */
async function singles(seconds: number, sink: Sink, send: (e: Envelope) => Promise<unknown> | unknown) {
  const { steps } = await forSeconds(seconds, async (i) => {
    const e = event(i);
    const start = performance.now();
    await send(e);
    return (await within(10_000, `message ${e.id} to be handled`, sink.of(e.id))) - start;
  });
  return steps;
}

await runBench(async (checks) => {
  const connection = await amqp.connect(RABBITMQ_URL);
  const admin = await connection.createChannel();
  await admin.assertExchange(rawExchange, 'topic', { durable: true });
  await admin.assertQueue(rawQueue, { durable: true });
  await admin.bindQueue(rawQueue, rawExchange, 'payment.success');

  await ensureDatabase(PG_SERVER_URL, dbName);
  const dbUrl = new URL(PG_SERVER_URL);
  dbUrl.pathname = `/${dbName}`;
  const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 4 });
  pool.on('error', () => undefined); // dropping the database at the end ends a connection still closing
  const bus = createRabbitBus({ url: RABBITMQ_URL, topology, log: silent });
  try {
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
    // each event; it is purged after each burst so it does not grow).
    const viaBus = arrivals();
    await bus.consume('booking-payment-succeeded', async (e) => viaBus.arrive(e.id), { concurrency: PREFETCH });
    const purgeLedger = () => admin.purgeQueue(`${topology.prefix}ledger-recorder`);

    const seconds = (r: number) => (r < 0 ? 1 : SECONDS); // round -1 is the warm-up
    const results = await interleaved(
      ROUNDS,
      {
        raw: async (r): Promise<Round> => {
          const b = await bursts(seconds(r), raw, async (events) => {
            const start = performance.now();
            for (const e of events) rawPublish(e);
            await publisher.waitForConfirms();
            return start;
          });
          const latencies = await singles(seconds(r), raw, (e) => rawPublish(e));
          return { ...b, latencies, messages: b.messages + latencies.length };
        },
        bus: async (r): Promise<Round> => {
          const b = await bursts(
            seconds(r),
            viaBus,
            async (events) => {
              const start = performance.now();
              await Promise.all(events.map((e) => bus.publish(e)));
              return start;
            },
            purgeLedger,
          );
          const latencies = await singles(seconds(r), viaBus, (e) => void bus.publish(e));
          await purgeLedger();
          return { ...b, latencies, messages: b.messages + latencies.length };
        },
        outbox: async (r): Promise<Round> => {
          let relay: ReturnType<typeof startOutboxRelay> | undefined;
          const b = await bursts(
            seconds(r),
            viaBus,
            async (events) => {
              await withTransaction(pool, async (tx) => {
                for (const e of events) await enqueue(tx, e);
              });
              const start = performance.now();
              relay = startOutboxRelay(pool, bus, { listen: false, intervalMs: 10, log: silent });
              return start;
            },
            async () => {
              await relay?.stop();
              await purgeLedger();
            },
          );
          // Woken by NOTIFY: its 5 s poll would show if a commit were missed. The first second is
          // not measured, so that LISTEN is in place whatever the machine's speed.
          relay = startOutboxRelay(pool, bus, { intervalMs: 5_000, log: silent });
          const commit = (e: Envelope) => withTransaction(pool, (tx) => enqueue(tx, e));
          await singles(1, viaBus, commit);
          const latencies = await singles(seconds(r), viaBus, commit);
          await relay.stop();
          await purgeLedger();
          return { ...b, latencies, messages: b.messages + latencies.length };
        },
      },
      (name, r, res) => console.error(`[events bench] ${name} round ${r + 1}: ${res.rate.toFixed(0)} msg/s, one at a time p50 ${percentile(res.latencies, 50).toFixed(2)} ms`),
    );

    const p = (rounds: Round[], q: number) => median(rounds.map((r) => percentile(r.latencies, q)));
    const rate = (rounds: Round[]) => median(rounds.map((r) => r.rate));
    const rawThroughput = rate(results.raw);
    const rows: Row[] = [
      { figure: `raw amqplib: confirm-publish + consume, bursts of ${BURST} persistent msgs`, value: rawThroughput, unit: 'msg/s' },
      { figure: 'bus adapter: publish (confirmed) + consume', value: rate(results.bus), unit: 'msg/s', baseline: { name: 'raw', value: rawThroughput } },
      { figure: `outbox relay → bus → consume (${BURST} committed rows a burst)`, value: rate(results.outbox), unit: 'msg/s', baseline: { name: 'raw', value: rawThroughput } },
      { figure: 'raw amqplib: publish → consumer, one at a time, p50', value: p(results.raw, 50), unit: 'ms' },
      { figure: 'bus adapter: publish → handler, one at a time, p50', value: p(results.bus, 50), unit: 'ms', baseline: { name: 'raw', value: p(results.raw, 50) } },
      { figure: 'outbox: commit → NOTIFY → relay → handler, p50', value: p(results.outbox, 50), unit: 'ms', baseline: { name: 'raw', value: p(results.raw, 50) } },
      { figure: 'raw amqplib: one at a time, p95', value: p(results.raw, 95), unit: 'ms' },
      { figure: 'bus adapter: one at a time, p95', value: p(results.bus, 95), unit: 'ms', baseline: { name: 'raw', value: p(results.raw, 95) } },
      { figure: 'outbox: commit → handler, p95', value: p(results.outbox, 95), unit: 'ms', baseline: { name: 'raw', value: p(results.raw, 95) } },
    ];
    printTable(`Events — ${ROUNDS} rounds of ${SECONDS} s of bursts and ${SECONDS} s one at a time for each path, taking turns after a warm-up round; medians (RabbitMQ and PostgreSQL on this machine)`, rows);

    // Every message was handled (each wait above has a deadline, and fails the bench); the outbox kept none back.
    const handled = (rounds: Round[]) => rounds.reduce((k, r) => k + r.messages, 0);
    console.error(`[events bench] handled in the measured rounds: raw ${handled(results.raw)}, bus ${handled(results.bus)}, outbox ${handled(results.outbox)} messages`);
    const unpublished = Number((await pool.query(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n);
    checks.expect(unpublished === 0, `${unpublished} outbox rows left unpublished`);
  } finally {
    await bus.close();
    await deleteTopology(admin, topology);
    await admin.deleteQueue(rawQueue);
    await admin.deleteExchange(rawExchange);
    await connection.close();
    await pool.end();
    await dropDatabase(PG_SERVER_URL, dbName);
  }
});
