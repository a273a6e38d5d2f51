// Event pipeline: payment.success → booking.confirmed, through the whole local path —
// RabbitMQ, the runner, the consumer function (serverless-offline's Lambda endpoint), the
// inbox and outbox transaction, the relay, RabbitMQ again. Each round: latency at a steady
// rate, then throughput with a backlog (BENCH_IN_FLIGHT payments in flight), both for
// BENCH_SECONDS; against raw amqplib confirm-publish-and-consume, rounds interleaved.
// The showtime is scheduled in catalog and reaches booking through the events, as in
// production; at the end every payment must be a booking, every booked seat sold on
// catalog's seat map, every fact recorded by the ledger, and no delivery dead-lettered.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { startTestStack } from '../test/support/stack';
import { arrivals, interleaved, median, percentile, printTable, roundName } from './lib/stats';
import { runBench, settles, within } from './lib/checks';
import { cpuSnapshot, cpuSpent, pidsNamed } from './lib/cpu';
import { countOf, openCheckouts, paymentFor, recordedInLedger, scheduleBenchShowtime, soldInCatalog, expectAllDelivered, type OpenCheckout } from './lib/showtime';

process.env.LOG_LEVEL = 'error';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 50); // events per second in the steady phase
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 64);
// Seats for every round at up to 150 events/s with a backlog; a hall holds at most 6000.
const SEATS = Number(process.env.BENCH_SEATS ?? Math.min(6000, (ROUNDS + 1) * SECONDS * (RATE + 150)));
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const WAIT_MS = 120_000;
const DRAIN_MS = 60_000;

interface Round {
  latencies: number[];
  rate: number;
  /** ms of CPU per event over the backlog phase, by process group (the pipeline only) */
  cpu?: Record<string, number>;
}

/**
 * One round of either path: `send(id)` publishes (resolving once the broker confirmed),
 * `arrived(id)` resolves when its result is seen. Steady: RATE a second on schedule, whatever
 * the answers. Backlog: IN_FLIGHT senders, each sending its next once the last arrived.
 */
async function round(
  seconds: number,
  next: () => string,
  send: (id: string, steady: boolean) => Promise<void>,
  arrived: (id: string) => Promise<number>,
  processes?: () => Promise<Record<string, number[]>>,
): Promise<Round> {
  const pending: Promise<number>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < Math.round(RATE * seconds); i++) {
    const wait = t0 + (i * 1000) / RATE - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = next();
    const sent = performance.now();
    await send(id, true);
    pending.push(arrived(id).then((t) => t - sent));
  }
  const latencies = await within(WAIT_MS, 'the steady phase to arrive', Promise.all(pending));

  let done = 0;
  const cpu0 = processes && cpuSnapshot(await processes());
  const b0 = performance.now();
  const end = b0 + seconds * 1000;
  await within(
    WAIT_MS,
    'the backlog to drain',
    Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (performance.now() < end) {
          const id = next();
          await send(id, false);
          await arrived(id);
          done++;
        }
      }),
    ),
  );
  const rate = done / ((performance.now() - b0) / 1000);
  if (!cpu0 || !processes) return { latencies, rate };
  const spent = cpuSpent(cpu0, cpuSnapshot(await processes()));
  return { latencies, rate, cpu: Object.fromEntries(Object.entries(spent).map(([group, s]) => [group, (s * 1000) / done])) };
}

await runBench(async (checks) => {
  const stack = await startTestStack({ LOG_LEVEL: 'error' }, { events: true });
  // noDelay as the bus connects: without it the baseline waits out delayed ACKs, far from the broker's limit
  const conn = await amqp.connect(RABBITMQ_URL, { noDelay: true });
  try {
    const booking = stack.db.pool('booking');
    const { showtimeId, seatIds } = await scheduleBenchShowtime(stack.db, SEATS);
    const checkouts = new Map((await openCheckouts(booking, showtimeId, seatIds)).map((c) => [c.id, c]));
    const unpaid = [...checkouts.values()];
    const paid: OpenCheckout[] = [];
    const nextCheckout = () => {
      const c = unpaid.shift();
      if (!c) throw new Error(`all ${SEATS} seats were paid before the rounds ended: run with a larger BENCH_SEATS`);
      paid.push(c);
      return c.id;
    };

    // booking.confirmed, watched on a queue of our own, bound like any consumer's
    const watch = await conn.createChannel();
    const watchQueue = (await watch.assertQueue('', { exclusive: true })).queue;
    await watch.bindQueue(watchQueue, stack.topology!.exchange, 'booking.confirmed');
    const confirmed = arrivals();
    await watch.consume(watchQueue, (m) => m && confirmed.arrive(JSON.parse(m.content.toString()).data.checkoutId), { noAck: true });

    // the baseline: persistent messages to a queue of our own, each confirmed, then consumed
    const raw = await conn.createConfirmChannel();
    const rawQueue = (await raw.assertQueue('', { exclusive: true })).queue;
    const consumed = arrivals();
    await raw.consume(rawQueue, (m) => {
      if (!m) return;
      consumed.arrive(m.content.toString());
      raw.ack(m);
    });
    const rawSend = (id: string) => new Promise<void>((resolve, reject) => raw.sendToQueue(rawQueue, Buffer.from(id), { persistent: true }, (err) => (err ? reject(err) : resolve())));

    // Where the steady phase's time goes: booking's inbox row (stamped at its transaction's start)
    // and the booking.confirmed outbox row (stamped at the relay's pick-up) along each event's way.
    const traced = new Map<string, { eventId: string; sentAt: number }>();

    const catalog = stack.db.pool('catalog');
    const ledger = stack.db.pool('ledger');
    const downstream = async () => ({
      sold: await soldInCatalog(catalog, showtimeId),
      recorded: await recordedInLedger(ledger),
    });

    // Where a payment's CPU goes, from /proc: a profile's wall-clock samples count a process
    // preempted inside a socket write (while the receiver it woke runs) as busy in the write.
    const processes = async () => ({
      'serverless-offline (the functions)': [stack.gateway.process.pid!],
      'the runner, the relays and this bench': [process.pid],
      "PostgreSQL (the stack's backends)": (await booking.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname LIKE $1`, [`${stack.db.prefix}%`])).rows.map((r) => r.pid),
      'RabbitMQ (the whole broker)': pidsNamed('beam'),
    });
    const seconds = (r: number) => (r < 0 ? Math.max(1, SECONDS / 2) : SECONDS); // round -1 is the warm-up
    const results = await interleaved(
      ROUNDS,
      {
        pipeline: async (r) => {
          const result = await round(
            seconds(r),
            nextCheckout,
            (id, steady) => {
              const payment = stack.signed(paymentFor(showtimeId, checkouts.get(id)!));
              if (steady && r >= 0) traced.set(id, { eventId: payment.id, sentAt: performance.timeOrigin + performance.now() });
              return stack.bus!.publish(payment);
            },
            (id) => confirmed.of(id),
            processes,
          );
          // the seat map and the ledger trail booking: let them catch up, so no round pays for the one before
          const d0 = performance.now();
          const caughtUp = await settles(async () => {
            const d = await downstream();
            return d.sold >= paid.length && d.recorded >= 2 * paid.length;
          }, DRAIN_MS);
          if (!caughtUp) {
            const d = await downstream();
            checks.expect(false, `${roundName(r)}: after ${paid.length} bookings, catalog's seat map shows ${d.sold} sold and the ledger ${d.recorded} facts, ${DRAIN_MS / 1000} s later`);
            await expectAllDelivered(checks, conn, stack.topology!);
            throw new Error('the consumers downstream of booking did not keep up');
          }
          console.error(`[pipeline bench] the seat map and the ledger caught up ${((performance.now() - d0) / 1000).toFixed(1)} s after the round`);
          return result;
        },
        raw: (r) => round(seconds(r), () => randomUUID(), rawSend, (id) => consumed.of(id)),
      },
      (name, r, res) => console.error(`[pipeline bench] ${name} round ${r + 1}: p50 ${percentile(res.latencies, 50).toFixed(1)} ms, ${res.rate.toFixed(1)} events/s with a backlog`),
    );

    const p = (rs: Round[], q: number) => median(rs.map((r) => percentile(r.latencies, q)));
    const rate = (rs: Round[]) => median(rs.map((r) => r.rate));
    printTable(`Event pipeline — payment.success → booking.confirmed (${ROUNDS} rounds each, interleaved with the baseline, after a warm-up: ${SECONDS} s at ${RATE}/s, then ${SECONDS} s with ${IN_FLIGHT} in flight)`, [
      { figure: 'latency p50', value: p(results.pipeline, 50), unit: 'ms', baseline: { name: 'raw amqplib p50', value: p(results.raw, 50) } },
      { figure: 'latency p99', value: p(results.pipeline, 99), unit: 'ms', baseline: { name: 'raw amqplib p99', value: p(results.raw, 99) } },
      { figure: `events/s with a backlog (${IN_FLIGHT} in flight)`, value: rate(results.pipeline), unit: '/s', baseline: { name: 'raw amqplib', value: rate(results.raw) } },
    ]);

    const cpuRows = Object.keys(results.pipeline[0]?.cpu ?? {}).map((group) => ({ figure: `CPU per payment with a backlog: ${group}`, value: median(results.pipeline.map((r) => r.cpu![group])), unit: 'ms' }));
    if (cpuRows.length) {
      cpuRows.push({ figure: 'CPU per payment with a backlog: all of these', value: median(results.pipeline.map((r) => Object.values(r.cpu!).reduce((a, b) => a + b, 0))), unit: 'ms' });
      printTable(`Event pipeline — where a payment's CPU goes (from /proc, medians of the ${ROUNDS} backlog phases)`, cpuRows);
    }

    const ids = [...traced.values()].map((t) => t.eventId);
    const handled = new Map(
      (await booking.query<{ event_id: string; at: number }>(`SELECT event_id, extract(epoch FROM handled_at) * 1000 AS at FROM inbox WHERE consumer = 'booking-payment-succeeded' AND event_id = ANY($1::uuid[])`, [ids])).rows.map((r) => [r.event_id, Number(r.at)]),
    );
    const picked = new Map(
      (await booking.query<{ checkout_id: string; at: number }>(
        `SELECT envelope->'data'->>'checkoutId' AS checkout_id, extract(epoch FROM published_at) * 1000 AS at FROM outbox WHERE event_type = 'booking.confirmed' AND envelope->'data'->>'checkoutId' = ANY($1::text[])`,
        [[...traced.keys()]],
      )).rows.map((r) => [r.checkout_id, Number(r.at)]),
    );
    const legs = { 'publish → booking consumer transaction': [] as number[], 'transaction → relay pick-up of booking.confirmed': [] as number[], 'relay pick-up → arrival': [] as number[] };
    for (const [checkoutId, { eventId, sentAt }] of traced) {
      const h = handled.get(eventId);
      const p = picked.get(checkoutId);
      const arrived = confirmed.at.get(checkoutId);
      if (h === undefined || p === undefined || arrived === undefined) continue;
      legs['publish → booking consumer transaction'].push(h - sentAt);
      legs['transaction → relay pick-up of booking.confirmed'].push(p - h);
      legs['relay pick-up → arrival'].push(performance.timeOrigin + arrived - p);
    }
    console.error(`[pipeline bench] where the steady phase's time goes (${traced.size} events, medians and p99, ms):`);
    for (const [leg, ms] of Object.entries(legs)) console.error(`  ${leg}: p50 ${percentile(ms, 50).toFixed(1)}, p99 ${percentile(ms, 99).toFixed(1)}`);

    // Every payment is a booking, seen by every consumer downstream, and nothing failed on the way.
    const n = paid.length;
    const bookings = await countOf(booking, `SELECT count(*) AS n FROM bookings WHERE showtime_id = $1 AND status = 'confirmed'`, [showtimeId]);
    checks.expect(bookings === n && confirmed.at.size === n, `${n} payments, ${bookings} confirmed bookings, ${confirmed.at.size} booking.confirmed seen`);
    let { sold, recorded } = await downstream();
    await settles(async () => {
      ({ sold, recorded } = await downstream());
      return sold >= n && recorded >= 2 * n;
    }, DRAIN_MS);
    checks.expect(sold === n, `catalog's seat map: ${sold} of ${n} booked seats sold`);
    checks.expect(recorded === 2 * n, `ledger: ${recorded} facts recorded for ${n} payments and their bookings (${2 * n} expected)`);
    await expectAllDelivered(checks, conn, stack.topology!);
  } finally {
    await conn.close();
    await stack.stop();
  }
});
