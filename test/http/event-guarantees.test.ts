// What the event flow guarantees when the world misbehaves: a payment.success delivered
// many times books once; a poison message reaches its DLQ after its retries while the
// others keep flowing; a hold that expired and went to someone else ends in a refund.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { startTestStack, signUp, signUpAdmin, eventually, queueSettled, TEST_RABBITMQ_URL, TEST_RETRY_DELAYS_MS, type TestStack } from '../support/stack';
import { ATTEMPT_HEADER } from '../../layers/events/wire';
import { scheduleShowtime, buy, bookingFor } from '../support/flow';
import { queueName, deadLetterQueueName } from '../../layers/events/topology';
import { newEvent, type Envelope } from '../../layers/events/envelope';

let stack: TestStack;
let admin: string;
const HOLD_SECONDS = 3;
beforeAll(async () => {
  stack = await startTestStack({ HOLD_SECONDS: String(HOLD_SECONDS), HOLD_CAP_SECONDS: '6' }, { events: true });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await stack?.stop();
});

async function queueDepth(queue: string) {
  const conn = await amqp.connect(TEST_RABBITMQ_URL);
  try {
    const ch = await conn.createChannel();
    return (await ch.checkQueue(queue)).messageCount;
  } finally {
    await conn.close();
  }
}

async function paymentSuccessOf(paymentId: string): Promise<Envelope> {
  const { rows } = await stack.db.pool('payment').query(`SELECT envelope FROM outbox WHERE event_type = 'payment.success' AND envelope->'data'->>'paymentId' = $1`, [paymentId]);
  expect(rows).toHaveLength(1);
  return rows[0].envelope;
}

describe('event guarantees', () => {
  it.each([1, 2, 10])('payment.success delivered %i time(s): one booking, seats marked once', async (times) => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    const bought = await buy(stack.api, customer.token, showtimeId, ['A1', 'A2']);
    const booking = await bookingFor(stack, bought.paymentId!);
    const event = await paymentSuccessOf(bought.paymentId!);
    // redelivered as payment's relay sent it: genuine, so only the inbox stops a second booking
    for (let i = 1; i < times; i++) await stack.bus!.publish(stack.signed(event));
    const queue = queueName(stack.topology!, 'booking-payment-succeeded');
    await queueSettled(queue);

    const b = stack.db.pool('booking');
    expect((await b.query('SELECT id FROM bookings WHERE payment_id = $1', [bought.paymentId])).rows.map((r) => r.id)).toEqual([booking.id]);
    expect((await b.query(`SELECT count(*) AS n FROM outbox WHERE event_type = 'booking.confirmed' AND envelope->'data'->>'paymentId' = $1`, [bought.paymentId])).rows[0].n).toBe(1);
    expect((await b.query(`SELECT count(*) AS n FROM inbox WHERE event_id = $1`, [event.id])).rows[0].n).toBe(1);
    expect((await b.query(`SELECT seat_id, booking_id FROM seat_claims WHERE showtime_id = $1 ORDER BY seat_id`, [showtimeId])).rows).toEqual([
      { seat_id: 'A1', booking_id: booking.id },
      { seat_id: 'A2', booking_id: booking.id },
    ]);
    const catalogRows = await eventually(async () => {
      const rows = (await stack.db.pool('catalog').query(`SELECT seat_id, status FROM showtime_seats WHERE showtime_id = $1 ORDER BY seat_id`, [showtimeId])).rows;
      return rows.length === 2 ? rows : undefined;
    }, 15_000, 'seat map');
    expect(catalogRows).toEqual([
      { seat_id: 'A1', status: 'sold' },
      { seat_id: 'A2', status: 'sold' },
    ]);
    // the seat map took this booking's booking.confirmed once, under that event's own id
    const { rows: confirmed } = await b.query(`SELECT event_id FROM outbox WHERE event_type = 'booking.confirmed' AND envelope->'data'->>'paymentId' = $1`, [bought.paymentId]);
    expect((await stack.db.pool('catalog').query(`SELECT event_id FROM inbox WHERE consumer = 'catalog-seat-map' AND event_id = $1`, [confirmed[0].event_id])).rows).toHaveLength(1);
  }, 60_000);

  it('a duplicate provider webhook changes nothing', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    const bought = await buy(stack.api, customer.token, showtimeId, ['B1']);
    await bookingFor(stack, bought.paymentId!);
    const { rows } = await stack.db.pool('payment').query('SELECT body FROM webhook_receipts WHERE payment_id = $1', [bought.paymentId]);
    const { signWebhook, SIGNATURE_HEADER } = await import('../../functions/payment/test-provider/webhook-signature');
    const { WEBHOOK_SECRET } = await import('../support/stack');
    const body = JSON.stringify(rows[0].body);
    const resend = await stack.api('POST', '/payments/webhook', { raw: body, headers: { [SIGNATURE_HEADER]: signWebhook(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000)) } });
    expect(resend.status).toBe(200);
    expect(resend.body.outcome).toBe('duplicate');
    const stale = await stack.api('POST', '/payments/webhook', { raw: body, headers: { [SIGNATURE_HEADER]: signWebhook(WEBHOOK_SECRET, body, Math.floor(Date.now() / 1000) - 3600) } });
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toMatch(/tolerance/);
    const forged = await stack.api('POST', '/payments/webhook', { raw: body, headers: { [SIGNATURE_HEADER]: signWebhook('not-the-secret', body, Math.floor(Date.now() / 1000)) } });
    expect(forged.status).toBe(401);
    expect((await stack.db.pool('payment').query(`SELECT count(*) AS n FROM outbox WHERE event_type = 'payment.success' AND envelope->'data'->>'paymentId' = $1`, [bought.paymentId])).rows[0].n).toBe(1);
  });

  it('a poison message reaches the DLQ after its retries while the others keep flowing', async () => {
    const queue = queueName(stack.topology!, 'booking-payment-succeeded');
    const dlq = deadLetterQueueName(queue);
    const before = await queueDepth(dlq);
    // genuine and well-formed, but it names a checkout booking never made: it can never succeed
    await stack.bus!.publish(
      stack.signed(
        newEvent('payment.success', { paymentId: crypto.randomUUID(), checkoutId: crypto.randomUUID(), userId: crypto.randomUUID(), showtimeId: crypto.randomUUID(), seats: ['A1'], amount: 1, currency: 'EUR', provider: 'test' }, { source: 'payment' }),
      ),
    );
    // not an envelope at all
    const conn = await amqp.connect(TEST_RABBITMQ_URL);
    const ch = await conn.createConfirmChannel();
    ch.publish(stack.topology!.exchange, 'payment.success', Buffer.from('{"this is": "not an event"'), { persistent: true });
    await ch.waitForConfirms();
    await conn.close();

    // meanwhile a real purchase goes through
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const bought = await buy(stack.api, (await signUp(stack.api)).token, showtimeId, ['C3']);
    expect((await bookingFor(stack, bought.paymentId!)).status).toBe('confirmed');

    await eventually(async () => ((await queueDepth(dlq)) === before + 2 ? true : undefined), 20_000, 'two dead letters');
    // the well-formed one was tried every time the topology allows before it was given up
    const peek = await amqp.connect(TEST_RABBITMQ_URL);
    const pc = await peek.createChannel();
    const attempts: unknown[] = [];
    for (let m = await pc.get(dlq, { noAck: false }); m; m = await pc.get(dlq, { noAck: false })) attempts.push(m.properties.headers?.[ATTEMPT_HEADER]);
    await peek.close(); // unacknowledged: back to the DLQ
    expect(attempts).toContain(TEST_RETRY_DELAYS_MS.length + 1);
  }, 60_000);

  it('a hold that expires frees the seat; paying after it went to someone else ends refunded, with no booking', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const slow = await signUp(stack.api);
    const quick = await signUp(stack.api);
    await stack.api('POST', '/cart/holds', { token: slow.token, body: { showtimeId, seats: ['B5'] } });
    const co = await stack.api('POST', '/cart/checkout', { token: slow.token, body: {} });
    const payment = await stack.api('POST', '/payments', { token: slow.token, body: { checkoutId: co.body.checkout.id } });
    expect((await stack.api('POST', '/cart/holds', { token: quick.token, body: { showtimeId, seats: ['B5'] } })).status).toBe(409);

    await eventually(async () => ((await stack.api('GET', '/cart', { token: slow.token })).body.cart.showtimes.length === 0 ? true : undefined), (HOLD_SECONDS + 15) * 1000, 'the hold to expire');
    expect((await stack.api('POST', '/cart/holds', { token: quick.token, body: { showtimeId, seats: ['B5'] } })).status).toBe(201);

    const pay = await stack.api('POST', payment.body.nextAction.url, { body: { cardNumber: '4242424242424242' } });
    expect(pay.body.outcome).toBe('succeeded');
    const refunded = await eventually(async () => {
      const p = (await stack.api('GET', `/payments/${payment.body.payment.id}`, { token: slow.token })).body.payment;
      return p.status === 'refunded' ? p : undefined;
    }, 20_000, 'the refund');
    expect(refunded.amount).toBe(1000);
    const b = stack.db.pool('booking');
    expect((await b.query('SELECT count(*) AS n FROM bookings WHERE payment_id = $1', [payment.body.payment.id])).rows[0].n).toBe(0);
    expect((await b.query('SELECT status FROM checkouts WHERE id = $1', [co.body.checkout.id])).rows[0].status).toBe('rejected');
    expect((await b.query('SELECT user_id, status FROM seat_claims WHERE showtime_id = $1 AND seat_id = $2', [showtimeId, 'B5'])).rows).toEqual([{ user_id: quick.user.id, status: 'held' }]);
    const reasons = (await stack.db.pool('payment').query('SELECT reason FROM refunds WHERE payment_id = $1', [payment.body.payment.id])).rows;
    expect(reasons[0].reason).toMatch(/no longer held/);
  }, 60_000);

  it('renews a hold up to its cap, and no further', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const c = await signUp(stack.api);
    const held = await stack.api('POST', '/cart/holds', { token: c.token, body: { showtimeId, seats: ['C7'] } });
    const first = Date.parse(held.body.cart.showtimes[0].expiresAt);
    await new Promise((r) => setTimeout(r, 1500));
    const renewed = await stack.api('POST', '/cart/renew', { token: c.token });
    expect(renewed.status).toBe(200);
    const second = Date.parse(renewed.body.cart.showtimes[0].expiresAt);
    expect(second).toBeGreaterThan(first);
    // cap is 6 s from the first hold
    await new Promise((r) => setTimeout(r, 2000));
    const capped = Date.parse((await stack.api('POST', '/cart/renew', { token: c.token })).body.cart.showtimes[0].expiresAt);
    expect(capped - (first - HOLD_SECONDS * 1000)).toBeLessThanOrEqual(6_000 + 50);
  }, 30_000);
});
