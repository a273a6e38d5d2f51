// Ledger latency: from payment.success published to the booking's transaction final on the
// chain (payment.success → booking → booking.confirmed → ledger-recorder → submitter → 4
// replicas → f+1 replies), at a steady booking rate. Baseline in the same run: a signed
// transaction submitted straight to the same cluster until final, at the same rate.
import { randomUUID } from 'node:crypto';
import { startTestStack } from '../test/support/stack';
import { startTestCluster } from '../blockchain-nodes/test/runtime/support';
import { newEvent } from '../layers/events/envelope';
import { showtimeScheduled } from '../layers/contracts/events';
import { applyShowtimeEvent } from '../functions/booking/showtimes';
import { median, percentile, printTable } from './lib/stats';

process.env.LOG_LEVEL = 'error';
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 10); // bookings per second

const cluster = await startTestCluster();
const stack = await startTestStack({ ...cluster.env, LOG_LEVEL: 'error' }, { events: true, chain: cluster.client });
try {
  const booking = stack.db.pool('booking');
  const ledger = stack.db.pool('ledger');
  const showtimeId = randomUUID();
  const seatId = (i: number) => `${String.fromCharCode(65 + Math.floor(i / 20))}${(i % 20) + 1}`;
  const startsAt = new Date(Date.now() + 2 * 86400_000);
  const client = await booking.connect();
  await applyShowtimeEvent(
    client,
    showtimeScheduled({
      showtimeId, movieId: randomUUID(), movieTitle: 'Bench', hallId: randomUUID(), hallName: 'Bench', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 7200_000).toISOString(), currency: 'EUR',
      seats: Object.fromEntries(Array.from({ length: BOOKINGS }, (_, i) => [seatId(i), { category: 'standard', price: 1000 }])),
    }),
  );
  client.release();
  const checkouts = Array.from({ length: BOOKINGS }, (_, i) => ({ id: randomUUID(), userId: randomUUID(), paymentId: randomUUID(), seat: seatId(i) }));
  for (const c of checkouts) {
    await booking.query(`INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at) VALUES ($1, $2, $3, 'held', 1000, now() + interval '1 hour')`, [showtimeId, c.seat, c.userId]);
    await booking.query(`INSERT INTO checkouts (id, user_id, showtime_id, seats, amount, currency) VALUES ($1, $2, $3, $4, 1000, 'EUR')`, [c.id, c.userId, showtimeId, [c.seat]]);
  }

  // Watch for each booking's fact to become final.
  const publishedAt = new Map<string, number>();
  const finalAt = new Map<string, number>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const { rows } = await ledger.query(`SELECT payment_id FROM ledger_entries WHERE event_type = 'booking.confirmed' AND status = 'final'`);
      const now = performance.now();
      for (const r of rows) if (!finalAt.has(r.payment_id)) finalAt.set(r.payment_id, now);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  for (const c of checkouts) {
    publishedAt.set(c.paymentId, performance.now());
    await stack.bus!.publish(newEvent('payment.success', { paymentId: c.paymentId, checkoutId: c.id, userId: c.userId, showtimeId, seats: [c.seat], amount: 1000, currency: 'EUR', provider: 'test' }, { source: 'payment' }));
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  const deadline = Date.now() + 120_000;
  while (finalAt.size < BOOKINGS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  watching = false;
  await watcher;
  const latencies = checkouts.filter((c) => finalAt.has(c.paymentId)).map((c) => finalAt.get(c.paymentId)! - publishedAt.get(c.paymentId)!);

  // Baseline: the chain alone, same rate.
  const direct: number[] = [];
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < BOOKINGS; i++) {
    const tx = cluster.tx({ bench: i }, 'booking.confirmed');
    const t0 = performance.now();
    inFlight.push(cluster.client.submitAndAwaitFinal(tx, { timeoutMs: 30_000 }).then(() => void direct.push(performance.now() - t0)));
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  await Promise.allSettled(inFlight);

  printTable(`Ledger — payment.success to the booking's transaction final, ${BOOKINGS} bookings at ${RATE}/s, 4 replicas`, [
    { figure: 'latency p50', value: median(latencies), unit: 'ms', baseline: { name: 'transaction straight to the cluster, p50', value: median(direct) } },
    { figure: 'latency p99', value: percentile(latencies, 99), unit: 'ms', baseline: { name: 'straight to the cluster, p99', value: percentile(direct, 99) } },
  ]);
  console.log(`\nCorrectness: ${finalAt.size} of ${BOOKINGS} bookings final on the chain; ${direct.length} of ${BOOKINGS} direct transactions final`);
} finally {
  await stack.stop();
  await cluster.destroy();
}
process.exit(0);
