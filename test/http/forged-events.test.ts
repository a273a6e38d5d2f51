// Consumers do not act on forged events. Whoever reaches the Lambda invoke endpoint, or holds
// a broker account, can hand the booking consumer a `payment.success` for a checkout nobody
// paid; it must not become a booking. Only what payment's relay signed does.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { paymentSucceeded, type PaymentSucceeded } from '../../layers/contracts/events';
import { rabbitMqEventOf, sqsEventOf } from '../../layers/events/aws';
import type { Envelope } from '../../layers/events/envelope';
import { eventSigner, generateEventKey, keyIdOf } from '../../layers/events/signature';
import { DEAD_LETTER_REASON_ATTRIBUTE, type SqsBus } from '../../layers/events/sqs';
import { deadLetterQueueName, queueName } from '../../layers/events/topology';
import { ATTEMPT_HEADER } from '../../layers/events/wire';
import { bookingFor, scheduleShowtime } from '../support/flow';
import { eventually, signUp, signUpAdmin, startTestStack, TEST_RABBITMQ_URL, type TestStack } from '../support/stack';

let stack: TestStack;
let admin: string;
const runnerLog: string[] = [];

beforeAll(() => {
  // the event runner runs in this process: its log lines are this process's
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    runnerLog.push(String(chunk));
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write);
});
afterAll(() => {
  vi.restoreAllMocks();
});

const runnerLine = (eventId: string, queue: string) =>
  runnerLog.join('').split('\n').find((l) => l.includes('event refused and dead-lettered: not authentic') && l.includes(eventId) && l.includes(queue));

/** A customer's checkout with a payment opened and not paid: what a forger would like booked. */
async function unpaidCheckout() {
  const { showtimeId } = await scheduleShowtime(stack, admin);
  const customer = await signUp(stack.api);
  expect((await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['A1', 'A2'] } })).status).toBe(201);
  const checkout = (await stack.api('POST', '/cart/checkout', { token: customer.token, body: { showtimeId } })).body.checkout;
  const opened = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: checkout.id } });
  expect(opened.status).toBe(201);
  const paid: PaymentSucceeded = {
    paymentId: opened.body.payment.id,
    checkoutId: checkout.id,
    userId: customer.user.id,
    showtimeId,
    seats: ['A1', 'A2'],
    amount: opened.body.payment.amount,
    currency: opened.body.payment.currency,
    provider: 'test',
  };
  return { paid, customer, payUrl: opened.body.nextAction.url as string };
}

// the forger's own key, and a signature under it that claims to be payment's key
const stranger = generateEventKey();
const signedByStranger = (event: Envelope) => eventSigner('payment', stranger.signingKey).sign(event);
const claimingPaymentsKey = (event: Envelope) => {
  const signed = signedByStranger(event);
  return { ...signed, signature: { ...signed.signature, keyId: keyIdOf(stack.eventKeys.EVENT_PUBLIC_KEY_PAYMENT) } };
};

const bookingsOf = async (paymentId: string) => (await stack.db.pool('booking').query('SELECT id, status FROM bookings WHERE payment_id = $1', [paymentId])).rows;
const inboxHas = async (eventId: string) => (await stack.db.pool('booking').query('SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).rowCount! > 0;

describe('forged events over RabbitMQ', () => {
  beforeAll(async () => {
    stack = await startTestStack({}, { events: true });
    admin = (await signUpAdmin(stack)).token;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a forged payment.success, invoked on the Lambda endpoint or published to the broker, books nothing; the genuine payment still does', async () => {
    const { paid, customer, payUrl } = await unpaidCheckout();

    // 1. straight to the function, in both of AWS's shapes: unsigned, and signed by a stranger
    const lambda = new LambdaClient({ region: 'us-east-1', endpoint: stack.gateway.lambdaUrl, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const queue = queueName(stack.topology!, 'booking-payment-succeeded');
    const invokedUnsigned = paymentSucceeded(paid);
    const invokedByStranger = signedByStranger(paymentSucceeded(paid));
    const rmq = await lambda.send(
      new InvokeCommand({ FunctionName: 'cinema-local-bookingPaymentSucceeded', Payload: new TextEncoder().encode(JSON.stringify(rabbitMqEventOf(queue, [{ event: invokedUnsigned }]))) }),
    );
    expect(rmq.FunctionError).toBeTruthy();
    const sqs = await lambda.send(
      new InvokeCommand({ FunctionName: 'cinema-local-bookingPaymentSucceeded', Payload: new TextEncoder().encode(JSON.stringify(sqsEventOf(queue, [{ event: invokedByStranger }]))) }),
    );
    expect(JSON.parse(new TextDecoder().decode(sqs.Payload))).toEqual({ batchItemFailures: [{ itemIdentifier: `${invokedByStranger.id}-0` }] });
    lambda.destroy();
    for (const [event, reason] of [
      [invokedUnsigned, /unsigned/],
      [invokedByStranger, /which is not a key of payment/],
    ] as const) {
      const line = stack.gateway.output().split('\n').find((l) => l.includes('event refused, not acted on: not authentic') && l.includes(event.id));
      expect(line, `the function's log names ${event.id}`).toBeDefined();
      expect(line).toMatch(reason);
    }

    // 2. to the exchange, with a broker account: unsigned, and a stranger's signature claiming payment's key
    const publishedUnsigned = paymentSucceeded(paid);
    const publishedClaiming = claimingPaymentsKey(paymentSucceeded(paid));
    const conn = await amqp.connect(TEST_RABBITMQ_URL);
    const channel = await conn.createConfirmChannel();
    for (const event of [publishedUnsigned, publishedClaiming]) {
      channel.publish(stack.topology!.exchange, 'payment.success', Buffer.from(JSON.stringify(event)), { persistent: true, messageId: event.id });
    }
    await channel.waitForConfirms();
    await conn.close();

    // both dead-lettered at once, on their first delivery, in booking's DLQ and the ledger's
    const dlq = deadLetterQueueName(queue);
    const letters = await eventually(async () => {
      const peek = await amqp.connect(TEST_RABBITMQ_URL);
      const pc = await peek.createChannel();
      const got: { id: string; attempt: unknown }[] = [];
      for (let m = await pc.get(dlq, { noAck: false }); m; m = await pc.get(dlq, { noAck: false })) got.push({ id: JSON.parse(m.content.toString()).id, attempt: m.properties.headers?.[ATTEMPT_HEADER] });
      await peek.close(); // unacknowledged: back to the DLQ
      return got.length >= 2 ? got : undefined;
    }, 20_000, 'the forged events in the DLQ');
    expect(letters.map((l) => l.id).sort()).toEqual([publishedUnsigned.id, publishedClaiming.id].sort());
    expect(letters.map((l) => l.attempt)).toEqual([undefined, undefined]);
    await eventually(async () => {
      const peek = await amqp.connect(TEST_RABBITMQ_URL);
      const { messageCount } = await (await peek.createChannel()).checkQueue(deadLetterQueueName(queueName(stack.topology!, 'ledger-recorder')));
      await peek.close();
      return messageCount === 2 ? true : undefined;
    }, 20_000, "the forged events in the ledger's DLQ");
    for (const [event, reason] of [
      [publishedUnsigned, /unsigned/],
      [publishedClaiming, /does not verify under payment's key/],
    ] as const) {
      const line = runnerLine(event.id, 'booking-payment-succeeded');
      expect(line, `the runner's log names ${event.id}`).toBeDefined();
      expect(line).toMatch(reason);
    }

    // nothing was acted on: no booking, no inbox row, the seats still the customer's hold
    expect(await bookingsOf(paid.paymentId)).toEqual([]);
    for (const event of [invokedUnsigned, invokedByStranger, publishedUnsigned, publishedClaiming]) expect(await inboxHas(event.id), event.id).toBe(false);
    expect((await stack.db.pool('booking').query('SELECT seat_id, status, user_id FROM seat_claims WHERE showtime_id = $1 ORDER BY seat_id', [paid.showtimeId])).rows).toEqual([
      { seat_id: 'A1', status: 'held', user_id: customer.user.id },
      { seat_id: 'A2', status: 'held', user_id: customer.user.id },
    ]);
    expect((await stack.db.pool('ledger').query('SELECT count(*)::int AS n FROM ledger_entries WHERE payment_id = $1', [paid.paymentId])).rows[0].n).toBe(0);

    // the same checkout, paid for real: payment's relay signs its payment.success and booking confirms
    expect((await stack.api('POST', payUrl, { body: { cardNumber: '4242424242424242' } })).body.outcome).toBe('succeeded');
    expect((await bookingFor(stack, paid.paymentId)).status).toBe('confirmed');
    const seats = await eventually(async () => {
      const { rows } = await stack.db.pool('catalog').query(`SELECT seat_id FROM showtime_seats WHERE showtime_id = $1 AND status = 'sold' ORDER BY seat_id`, [paid.showtimeId]);
      return rows.length === 2 ? rows.map((r) => r.seat_id) : undefined;
    }, 20_000, 'the seat map to show the seats sold');
    expect(seats).toEqual(['A1', 'A2']);
  }, 90_000);
});

describe('forged events over SQS', () => {
  beforeAll(async () => {
    stack = await startTestStack({}, { events: 'sqs' });
    admin = (await signUpAdmin(stack)).token;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a forged payment.success sent straight to booking\'s queue goes to its DLQ on first receipt, with the reason; the genuine payment still books', async () => {
    const { paid, payUrl } = await unpaidCheckout();
    const sqs = stack.bus as SqsBus;
    const forged = claimingPaymentsKey(paymentSucceeded(paid));
    await sqs.client.send(new SendMessageCommand({ QueueUrl: await sqs.queueUrl('booking-payment-succeeded'), MessageBody: JSON.stringify(forged) }));

    const dlq = await sqs.queueUrl('booking-payment-succeeded', true);
    const letter = await eventually(async () => {
      const { Messages = [] } = await sqs.client.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));
      return Messages.find((m) => JSON.parse(m.Body!).id === forged.id);
    }, 20_000, 'the forged event in the DLQ');
    expect(letter.MessageAttributes?.[DEAD_LETTER_REASON_ATTRIBUTE]?.StringValue).toMatch(/^not authentic: the signature does not verify under payment's key/);
    expect(runnerLine(forged.id, 'booking-payment-succeeded')).toBeDefined();
    expect(await bookingsOf(paid.paymentId)).toEqual([]);
    expect(await inboxHas(forged.id)).toBe(false);

    expect((await stack.api('POST', payUrl, { body: { cardNumber: '4242424242424242' } })).body.outcome).toBe('succeeded');
    expect((await bookingFor(stack, paid.paymentId)).status).toBe('confirmed');
  }, 90_000);
});
