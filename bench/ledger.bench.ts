// Ledger latency: from payment.success published to the booking's transaction final on the
// chain (payment.success → booking → booking.confirmed → ledger-recorder → submitter → 4
// replicas → f+1 replies), at a steady booking rate. Baseline, in rounds interleaved with it:
// a signed transaction submitted straight to the same cluster until final, at the same rate.
// The showtime is scheduled in catalog and reaches booking through the events, as in
// production; at the end every booking and payment must be final on the chain, every booked
// seat sold on catalog's seat map, and no delivery dead-lettered.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { startTestStack, TEST_RABBITMQ_URL } from '../test/support/stack';
import { startTestCluster } from '../blockchain-nodes/test/runtime/support';
import { arrivals, interleaved, median, percentile, printTable, roundName } from './lib/stats';
import { runBench, settles, within } from './lib/checks';
import { countOf, openCheckouts, paymentFor, scheduleBenchShowtime, soldInCatalog, expectAllDelivered, type OpenCheckout } from './lib/showtime';

process.env.LOG_LEVEL = 'error';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 10); // bookings per second
const WAIT_MS = 120_000;

await runBench(async (checks) => {
  const cluster = await startTestCluster();
  const stack = await startTestStack({ ...cluster.env, LOG_LEVEL: 'error' }, { events: true, chain: cluster.client }).catch(async (err) => {
    await cluster.destroy();
    throw err;
  });
  const conn = await amqp.connect(TEST_RABBITMQ_URL);
  let watching = true;
  let watcher: Promise<void> | undefined;
  try {
    const booking = stack.db.pool('booking');
    const ledger = stack.db.pool('ledger');
    const seconds = (r: number) => (r < 0 ? Math.max(1, SECONDS / 2) : SECONDS); // round -1 is the warm-up
    const { showtimeId, seatIds } = await scheduleBenchShowtime(stack.db, (ROUNDS + 1) * Math.round(SECONDS * RATE));
    const unpaid = await openCheckouts(booking, showtimeId, seatIds);
    const paid: OpenCheckout[] = [];

    // Each booking's fact becoming final, by payment id, polled from the ledger's entries.
    const final = arrivals();
    watcher = (async () => {
      while (watching) {
        const { rows } = await ledger.query(`SELECT payment_id FROM ledger_entries WHERE event_type = 'booking.confirmed' AND status = 'final'`);
        for (const r of rows) final.arrive(r.payment_id);
        await new Promise((r) => setTimeout(r, 20));
      }
    })().catch((err) => console.error('[ledger bench] the watcher stopped (the rounds will time out):', err));

    /** `send()` at RATE a second for `seconds`, on schedule; each one's time until it is final. */
    const atRate = async (secs: number, send: () => Promise<number>) => {
      const pending: Promise<number>[] = [];
      const t0 = performance.now();
      for (let i = 0; i < Math.round(RATE * secs); i++) {
        const wait = t0 + (i * 1000) / RATE - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        pending.push(send());
      }
      return within(WAIT_MS, 'every transaction of the round to be final', Promise.all(pending));
    };

    const results = await interleaved(
      ROUNDS,
      {
        bookings: async (r) => {
          const latencies = await atRate(seconds(r), async () => {
            const c = unpaid.shift();
            if (!c) throw new Error('more bookings than seats: the showtime was made too small');
            paid.push(c);
            const paymentId = randomUUID();
            const t = performance.now();
            await stack.bus!.publish(stack.signed(paymentFor(showtimeId, c, paymentId)));
            return (await final.of(paymentId)) - t;
          });
          // the payment's own fact trails its booking's: let it be final too, so the next round starts clean
          if (!(await settles(async () => (await countOf(ledger, `SELECT count(*) AS n FROM ledger_entries WHERE status <> 'final'`, [])) === 0, WAIT_MS))) {
            throw new Error(`ledger entries still pending ${WAIT_MS / 1000} s after ${roundName(r)}`);
          }
          return latencies;
        },
        direct: (r) =>
          atRate(seconds(r), async () => {
            const tx = cluster.tx({ bench: randomUUID() }, 'booking.confirmed');
            const t = performance.now();
            await cluster.client.submitAndAwaitFinal(tx, { timeoutMs: 30_000 });
            return performance.now() - t;
          }),
      },
      (name, r, latencies) => console.error(`[ledger bench] ${name} round ${r + 1}: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`),
    );

    const p = (rounds: number[][], q: number) => median(rounds.map((l) => percentile(l, q)));
    printTable(`Ledger — payment.success to the booking's transaction final, ${RATE} bookings/s, ${ROUNDS} rounds of ${SECONDS} s interleaved with the baseline after a warm-up, 4 replicas`, [
      { figure: 'latency p50', value: p(results.bookings, 50), unit: 'ms', baseline: { name: 'transaction straight to the cluster, p50', value: p(results.direct, 50) } },
      { figure: 'latency p99', value: p(results.bookings, 99), unit: 'ms', baseline: { name: 'straight to the cluster, p99', value: p(results.direct, 99) } },
    ]);

    const n = paid.length;
    const bookings = await countOf(booking, `SELECT count(*) AS n FROM bookings WHERE showtime_id = $1 AND status = 'confirmed'`, [showtimeId]);
    const facts = async (type: string) => countOf(ledger, `SELECT count(*) AS n FROM ledger_entries WHERE event_type = $1 AND status = 'final'`, [type]);
    checks.expect(bookings === n, `${n} payments, ${bookings} confirmed bookings`);
    checks.expect((await facts('booking.confirmed')) === n && (await facts('payment.success')) === n, `final on the chain: ${await facts('booking.confirmed')} bookings and ${await facts('payment.success')} payments of ${n}`);
    const directs = results.direct.reduce((k, l) => k + l.length, 0);
    checks.expect(directs === ROUNDS * Math.round(SECONDS * RATE), `${directs} direct transactions final, of ${ROUNDS * Math.round(SECONDS * RATE)} sent in the measured rounds`);
    let sold = 0;
    await settles(async () => (sold = await soldInCatalog(stack.db.pool('catalog'), showtimeId)) >= n, 30_000);
    checks.expect(sold === n, `catalog's seat map: ${sold} of ${n} booked seats sold`);
    await expectAllDelivered(checks, conn, stack.topology!);
  } finally {
    watching = false;
    await watcher;
    await conn.close();
    await stack.stop();
    await cluster.destroy();
  }
});
