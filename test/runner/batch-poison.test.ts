// The event runner hands the consumer function a batch of records per invocation. One poisoned
// record in a batch (genuine and well-formed, but naming a checkout booking never made) must be
// retried and dead-lettered alone: the good payments of its batch book once each, none is lost
// and none dead-lettered with it. Real RabbitMQ, runner, serverless-offline and PostgreSQL.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, eventually, TEST_RABBITMQ_URL, TEST_RETRY_DELAYS_MS, type TestStack } from '../support/stack';
import { openCheckouts, paymentFor, scheduleBenchShowtime } from '../../bench/lib/showtime';
import { newEvent } from '../../layers/events/envelope';
import { deadLetterQueueName, queueName } from '../../layers/events/topology';
import { ATTEMPT_HEADER } from '../../layers/events/wire';

let stack: TestStack;
beforeAll(async () => {
  // one invocation at a time, gathering for a moment: the five payments published together share a batch
  process.env.EVENT_RUNNER_CONCURRENCY = '1';
  process.env.EVENT_RUNNER_BATCH_WINDOW_MS = '500';
  try {
    stack = await startTestStack({}, { events: true });
  } finally {
    delete process.env.EVENT_RUNNER_CONCURRENCY;
    delete process.env.EVENT_RUNNER_BATCH_WINDOW_MS;
  }
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

describe('a batch with one poisoned record', () => {
  it('dead-letters only the poisoned record, after its retries; the others of its batch are booked once', async () => {
    const { showtimeId, seatIds } = await scheduleBenchShowtime(stack.db, 4);
    const checkouts = await openCheckouts(stack.db.pool('booking'), showtimeId, seatIds);
    const good = checkouts.map((c) => stack.signed(paymentFor(showtimeId, c)));
    const poison = stack.signed(
      newEvent('payment.success', { paymentId: randomUUID(), checkoutId: randomUUID(), userId: randomUUID(), showtimeId, seats: ['A1'], amount: 1000, currency: 'EUR', provider: 'test' }, { source: 'payment' }),
    );
    await Promise.all([good[0], good[1], poison, good[2], good[3]].map((e) => stack.bus!.publish(e)));

    const booking = stack.db.pool('booking');
    const confirmed = async () => Number((await booking.query(`SELECT count(*) AS n FROM bookings WHERE showtime_id = $1 AND status = 'confirmed'`, [showtimeId])).rows[0].n);
    await eventually(async () => ((await confirmed()) === 4 ? true : undefined), 30_000, 'the four good payments booked');

    const dlq = deadLetterQueueName(queueName(stack.topology!, 'booking-payment-succeeded'));
    const conn = await amqp.connect(TEST_RABBITMQ_URL);
    try {
      const ch = await conn.createChannel();
      await eventually(async () => ((await ch.checkQueue(dlq)).messageCount >= 1 ? true : undefined), 30_000, 'the poisoned record dead-lettered');
      await new Promise((r) => setTimeout(r, 1_500)); // anything else on its way to the DLQ gets there
      const dead: { id: string; attempt: unknown }[] = [];
      for (let m = await ch.get(dlq, { noAck: false }); m; m = await ch.get(dlq, { noAck: false })) dead.push({ id: JSON.parse(m.content.toString()).id, attempt: m.properties.headers?.[ATTEMPT_HEADER] });
      // only it, and only after every attempt the topology allows
      expect(dead).toEqual([{ id: poison.id, attempt: TEST_RETRY_DELAYS_MS.length + 1 }]);
    } finally {
      await conn.close();
    }

    // each good payment applied once: one inbox row, one booking, one booking.confirmed
    const ids = good.map((e) => e.id);
    expect(Number((await booking.query(`SELECT count(*) AS n FROM inbox WHERE consumer = 'booking-payment-succeeded' AND event_id = ANY($1::uuid[])`, [ids])).rows[0].n)).toBe(4);
    expect(Number((await booking.query(`SELECT count(*) AS n FROM inbox WHERE event_id = $1`, [poison.id])).rows[0].n)).toBe(0);
    const perCheckout = await booking.query(`SELECT envelope->'data'->>'checkoutId' AS checkout, count(*)::int AS n FROM outbox WHERE event_type = 'booking.confirmed' AND envelope->'data'->>'checkoutId' = ANY($1::text[]) GROUP BY 1`, [checkouts.map((c) => c.id)]);
    expect(perCheckout.rows.map((r) => r.n)).toEqual([1, 1, 1, 1]);
    expect(await confirmed()).toBe(4);
  }, 120_000);
});
