// Event pipeline: payment.success → booking.confirmed, through the whole local path —
// RabbitMQ, the runner, the consumer function (serverless-offline's Lambda endpoint), the
// inbox and outbox transaction, the relay, RabbitMQ again. Latency at a steady rate and
// throughput for a burst, against raw amqplib confirm-publish-and-consume in the same run.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { startTestStack } from '../test/support/stack';
import { newEvent } from '../layers/events/envelope';
import { median, percentile, printTable } from './lib/stats';
import { showtimeScheduled } from '../layers/contracts/events';
import { applyShowtimeEvent } from '../functions/booking/showtimes';

process.env.LOG_LEVEL = 'error';
const STEADY = Number(process.env.BENCH_STEADY ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 50); // events per second in the steady phase
const BURST = Number(process.env.BENCH_BURST ?? 400);
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const stack = await startTestStack({ LOG_LEVEL: 'error' }, { events: true });
const conn = await amqp.connect(RABBITMQ_URL);
try {
  const booking = stack.db.pool('booking');
  const showtimeId = randomUUID();
  const seatCount = STEADY + BURST;
  const seatId = (i: number) => `${String.fromCharCode(65 + Math.floor(i / 100))}${(i % 100) + 1}`;
  const startsAt = new Date(Date.now() + 2 * 86400_000);
  const scheduled = showtimeScheduled({
    showtimeId, movieId: randomUUID(), movieTitle: 'Bench', hallId: randomUUID(), hallName: 'Bench', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 7200_000).toISOString(), currency: 'EUR',
    seats: Object.fromEntries(Array.from({ length: seatCount }, (_, i) => [seatId(i), { category: 'standard', price: 1000 }])),
  });
  const client = await booking.connect();
  await applyShowtimeEvent(client, scheduled);
  client.release();
  const checkouts = Array.from({ length: seatCount }, (_, i) => ({ id: randomUUID(), userId: randomUUID(), seat: seatId(i) }));
  for (const c of checkouts) {
    await booking.query(`INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at) VALUES ($1, $2, $3, 'held', 1000, now() + interval '1 hour')`, [showtimeId, c.seat, c.userId]);
    await booking.query(`INSERT INTO checkouts (id, user_id, showtime_id, seats, amount, currency) VALUES ($1, $2, $3, $4, 1000, 'EUR')`, [c.id, c.userId, showtimeId, [c.seat]]);
  }
  const paid = (c: (typeof checkouts)[number]) =>
    newEvent('payment.success', { paymentId: randomUUID(), checkoutId: c.id, userId: c.userId, showtimeId, seats: [c.seat], amount: 1000, currency: 'EUR', provider: 'test' }, { source: 'payment' });

  // Watch booking.confirmed on a queue of our own, bound like any consumer's.
  const ch = await conn.createChannel();
  const watch = (await ch.assertQueue('', { exclusive: true })).queue;
  await ch.bindQueue(watch, stack.topology!.exchange, 'booking.confirmed');
  const confirmedAt = new Map<string, number>();
  await ch.consume(watch, (m) => {
    if (m) confirmedAt.set(JSON.parse(m.content.toString()).data.checkoutId, performance.now());
  }, { noAck: true });
  const until = async (n: number) => {
    while (confirmedAt.size < n) await new Promise((r) => setTimeout(r, 5));
  };

  // steady rate: latency
  const sentAt = new Map<string, number>();
  for (const c of checkouts.slice(0, STEADY)) {
    sentAt.set(c.id, performance.now());
    await stack.bus!.publish(paid(c));
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  await until(STEADY);
  const latencies = [...sentAt].map(([id, t]) => confirmedAt.get(id)! - t);

  // burst: throughput
  const burst = checkouts.slice(STEADY);
  const b0 = performance.now();
  await Promise.all(burst.map((c) => stack.bus!.publish(paid(c))));
  await until(seatCount);
  const pipelineRate = BURST / ((Math.max(...burst.map((c) => confirmedAt.get(c.id)!)) - b0) / 1000);
  const bookings = (await booking.query('SELECT count(*) AS n FROM bookings WHERE showtime_id = $1', [showtimeId])).rows[0].n;

  // Baseline: raw confirm-publish and consume, same counts and rate.
  const raw = await conn.createConfirmChannel();
  const rawQueue = (await raw.assertQueue('', { exclusive: true })).queue;
  const got = new Map<string, number>();
  await raw.consume(rawQueue, (m) => {
    if (m) {
      got.set(m.content.toString(), performance.now());
      raw.ack(m);
    }
  });
  const rawSent = new Map<string, number>();
  for (let i = 0; i < STEADY; i++) {
    const id = `s${i}`;
    rawSent.set(id, performance.now());
    raw.sendToQueue(rawQueue, Buffer.from(id), { persistent: true });
    await raw.waitForConfirms();
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  while (got.size < STEADY) await new Promise((r) => setTimeout(r, 5));
  const rawLatencies = [...rawSent].map(([id, t]) => got.get(id)! - t);
  const r0 = performance.now();
  for (let i = 0; i < BURST; i++) raw.sendToQueue(rawQueue, Buffer.from(`b${i}`), { persistent: true });
  await raw.waitForConfirms();
  while (got.size < STEADY + BURST) await new Promise((r) => setTimeout(r, 5));
  const rawRate = BURST / ((performance.now() - r0) / 1000);

  printTable(`Event pipeline — payment.success → booking.confirmed (${STEADY} at ${RATE}/s, then a burst of ${BURST})`, [
    { figure: 'latency p50', value: median(latencies), unit: 'ms', baseline: { name: 'raw amqplib p50', value: median(rawLatencies) } },
    { figure: 'latency p99', value: percentile(latencies, 99), unit: 'ms', baseline: { name: 'raw amqplib p99', value: percentile(rawLatencies, 99) } },
    { figure: 'events/s (burst)', value: pipelineRate, unit: '/s', baseline: { name: 'raw amqplib', value: rawRate } },
  ]);
  console.log(`\nCorrectness: ${bookings} bookings for ${seatCount} payments (${bookings === seatCount ? 'correct' : 'WRONG'})`);
} finally {
  await conn.close();
  await stack.stop();
}
process.exit(0);
