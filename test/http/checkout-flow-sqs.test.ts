// The seed's six steps again, with every event carried by the SQS transport (an embedded
// local-aws-sqs endpoint this file starts) and the consumers invoked with SQS's `Records`
// events, answering with `batchItemFailures`: the same functions, another broker.
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { scheduleShowtime, bookingFor } from '../support/flow';
import { SqsBus } from '../../layers/events/sqs';
import { deadLetterQueueName, queueName } from '../../layers/events/topology';
import { sqsQueueName } from '../../layers/events/wire';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({}, { events: 'sqs' });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await stack?.stop();
});

describe('checkout and the event flow on the SQS transport', () => {
  it('takes a customer from seats to a booking and a sold seat map', async () => {
    const { api } = stack;
    expect(stack.bus).toBeInstanceOf(SqsBus);
    // showtime.scheduled reaches booking through SQS before anyone can hold a seat of it
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(api);

    // 1. hold
    const hold = await api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['A1', 'C2'] } });
    expect(hold.status).toBe(201);
    expect(hold.body.cart.total).toBe(2500);

    // 2. checkout
    const checkout = await api('POST', '/cart/checkout', { token: customer.token, body: {} });
    expect(checkout.status).toBe(201);
    expect(checkout.body.checkout).toMatchObject({ amount: 2500, seats: ['A1', 'C2'], status: 'open' });

    // 3. a pending payment
    const payment = await api('POST', '/payments', { token: customer.token, body: { checkoutId: checkout.body.checkout.id } });
    expect(payment.status).toBe(201);
    expect(payment.body.payment).toMatchObject({ status: 'pending', amount: 2500 });

    // 4. the test card, and the provider's signed webhook
    const pay = await api('POST', payment.body.nextAction.url, { body: { cardNumber: '4242424242424242' } });
    expect(pay.body).toMatchObject({ outcome: 'succeeded', webhookStatus: 200 });

    // 5. payment.success over SQS → booking confirmed
    const booking = await bookingFor(stack, payment.body.payment.id);
    expect(booking).toMatchObject({ status: 'confirmed', seats: ['A1', 'C2'], amount: 2500 });

    // 6. booking.confirmed over SQS → the seat map shows the seats sold
    let last: unknown;
    const sold = await eventually(async () => {
      const map = await api('GET', `/showtimes/${showtimeId}/seats`);
      last = map.status === 200 ? map.body.seatMap.counts : map;
      return map.status === 200 && map.body.seatMap.counts.sold === 2 ? map.body.seatMap : undefined;
    }, 20_000, 'the seat map').catch((err) => {
      throw new Error(`${err.message}; last answer: ${JSON.stringify(last)}`);
    });
    const statusOf = (id: string) => sold.rows.flatMap((r: any) => r.cells).find((c: any) => c?.seatId === id).status;
    expect([statusOf('A1'), statusOf('C2'), statusOf('A2')]).toEqual(['sold', 'sold', 'available']);

    // nothing went wrong on the way: every consumer queue's DLQ is empty
    const { client } = stack.bus as SqsBus;
    for (const spec of stack.topology!.queues) {
      const dlq = sqsQueueName(deadLetterQueueName(queueName(stack.topology!, spec.name)));
      const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: dlq }));
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      expect(Number(Attributes?.ApproximateNumberOfMessages), dlq).toBe(0);
    }
  });
});
