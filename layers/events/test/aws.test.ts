// Consumer Lambdas and AWS's event shapes. Fixtures are real AWS shapes (one Amazon MQ
// record is AWS's documentation example verbatim), cloned and altered per case.
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { consumerHandler, ConsumerBatchError, rabbitMqEventOf, recordsOfRabbitMqEvent, recordsOfSqsEvent, sqsEventOf, type RabbitMqEvent } from '../aws';
import { newEvent, type Envelope } from '../envelope';
import rmqFixture from './fixtures/rmq-event.json';
import sqsFixture from './fixtures/sqs-event.json';
import type { EventAuthenticator } from '../signature';
import { recordingLog } from './support';

const sqsEvent = () => structuredClone(sqsFixture) as SQSEvent;
const rmqEvent = () => structuredClone(rmqFixture) as unknown as RabbitMqEvent;

const PAYMENT_ID = '5f0c6a4e-3b1d-4c8e-9a7f-2d6b1e8c4a90';
const BOOKING_ID = '7d2e9b10-6c4f-4a8b-b1d3-5e7f9a2c4e61';

describe('AWS event shapes → envelopes', () => {
  it('reads an SQS event: queue from the ARN, attempt from the receive count, the body as envelope', () => {
    const records = recordsOfSqsEvent(sqsEvent());
    expect(records.map((r) => [r.recordId, r.queue, r.attempt, r.parsed.ok])).toEqual([
      ['059f36b4-87a3-44ab-83d2-661975830a7d', 'ledger-recorder', 1, true],
      ['2e1424d4-f796-459a-8184-9c92662be6da', 'ledger-recorder', 3, false],
      ['9d5d6e2c-1f0a-4b8e-a3c7-0e4b2f6d8a1c', 'ledger-recorder', 2, true],
    ]);
    const first = records[0].parsed;
    expect(first.ok && first.event).toMatchObject({ id: PAYMENT_ID, type: 'payment.success', data: { amountCents: 2500, currency: 'EUR' } });
  });

  it('reads an Amazon MQ event: queue and vhost from the key, base64 data, attempt from our header', () => {
    const records = recordsOfRabbitMqEvent(rmqEvent());
    expect(records.map((r) => [r.recordId, r.queue, r.attempt, r.parsed.ok])).toEqual([
      [PAYMENT_ID, 'ledger-recorder', undefined, true],
      ['ledger-recorder::/[1]', 'ledger-recorder', undefined, false],
      [BOOKING_ID, 'ledger-recorder', 2, true],
    ]);
    const third = records[2].parsed;
    expect(third.ok && third.event.data).toEqual({ bookingId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e', showtimeId: 'e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9', seats: ['F7', 'F8'], hall: 'Salle Lumière' });
    const poison = records[1].parsed;
    expect(!poison.ok && poison.reason).toMatch(/id: .*expected string/);
  });

  it('builds the same shapes for the local runner, and reads them back unchanged', () => {
    const events = [
      newEvent('booking.cancelled', { bookingId: 'b-1', seats: ['A1'] }, { source: 'booking' }),
      newEvent('payment.refunded', { paymentId: 'p-1', amountCents: 1200 }, { source: 'payment' }),
    ];
    const rmq = rabbitMqEventOf('payment-refunds', [{ event: events[0] }, { event: events[1], attempt: 3, redelivered: true }]);
    expect(Object.keys(rmq.rmqMessagesByQueue)).toEqual(['payment-refunds::/']);
    const [first, second] = rmq.rmqMessagesByQueue['payment-refunds::/'];
    expect(first.basicProperties).toMatchObject({ messageId: events[0].id, type: 'booking.cancelled', appId: 'booking', contentType: 'application/json', deliveryMode: 2 });
    expect(first.basicProperties.timestamp).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(second.redelivered).toBe(true);
    expect(recordsOfRabbitMqEvent(rmq).map((r) => [r.attempt, r.parsed.ok && r.parsed.event])).toEqual([
      [undefined, events[0]],
      [3, events[1]],
    ]);

    const sqs = sqsEventOf('payment-refunds', [{ event: events[0] }, { event: events[1], attempt: 2 }]);
    expect(sqs.Records[1].messageAttributes.eventType).toEqual({ stringValue: 'payment.refunded', stringListValues: [], binaryListValues: [], dataType: 'String' });
    expect(recordsOfSqsEvent(sqs).map((r) => [r.queue, r.attempt, r.parsed.ok && r.parsed.event])).toEqual([
      ['payment-refunds', 1, events[0]],
      ['payment-refunds', 2, events[1]],
    ]);
  });
});

describe('consumerHandler', () => {
  /** A ledger consumer that fails for one event id and remembers the order it saw events in. */
  const ledger = (failFor?: string, authenticate: EventAuthenticator = () => ({ ok: true })) => {
    const seen: Envelope[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const log = recordingLog();
    const handler = consumerHandler(
      'ledger-recorder',
      async (event) => {
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        seen.push(event);
        if (event.id === failFor) throw new Error('ledger node did not answer');
      },
      { authenticate, log },
    );
    return { handler, seen, log, mostAtOnce: () => mostAtOnce };
  };

  it('SQS: handles records one at a time and reports the failed and the poison ones in batchItemFailures', async () => {
    const { handler, seen, log, mostAtOnce } = ledger(BOOKING_ID);
    const response = await handler(sqsEvent());
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: '2e1424d4-f796-459a-8184-9c92662be6da' }, { itemIdentifier: '9d5d6e2c-1f0a-4b8e-a3c7-0e4b2f6d8a1c' }],
    });
    expect(seen.map((e) => e.id)).toEqual([PAYMENT_ID, BOOKING_ID]);
    expect(mostAtOnce()).toBe(1);
    const poisonLine = log.lines.find((l) => l.msg.startsWith('poison message'));
    expect(poisonLine).toMatchObject({ level: 'error', fields: { consumer: 'ledger-recorder', recordId: '2e1424d4-f796-459a-8184-9c92662be6da' } });
    expect(poisonLine!.fields.reason).toMatch(/body is not JSON/);
  });

  it('SQS: an empty batchItemFailures when every record is handled', async () => {
    const event = sqsEvent();
    event.Records = event.Records.filter((r) => r.body.startsWith('{'));
    const { handler, seen } = ledger();
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(seen).toHaveLength(2);
  });

  it('Amazon MQ: resolves when every record is handled', async () => {
    const event = rmqEvent();
    event.rmqMessagesByQueue['ledger-recorder::/'].splice(1, 1);
    const { handler, seen, mostAtOnce } = ledger();
    await expect(handler(event)).resolves.toBeUndefined();
    expect(seen.map((e) => e.id)).toEqual([PAYMENT_ID, BOOKING_ID]);
    expect(mostAtOnce()).toBe(1);
  });

  it('Amazon MQ: throws after trying every record if any failed, so the runner nacks the batch', async () => {
    const { handler, seen, log } = ledger(PAYMENT_ID);
    const failure = await handler(rmqEvent()).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConsumerBatchError);
    expect((failure as ConsumerBatchError).failedRecordIds).toEqual([PAYMENT_ID, 'ledger-recorder::/[1]']);
    expect(seen.map((e) => e.id)).toEqual([PAYMENT_ID, BOOKING_ID]);
    expect(log.lines.find((l) => l.msg === 'event handling failed')?.fields).toMatchObject({ eventId: PAYMENT_ID, eventType: 'payment.success', correlationId: '0b8f2c1e-7d4a-4e5b-8c9d-1a2b3c4d5e6f' });
  });

  it('treats a record with a malformed envelope (wrong field) as a poison message', async () => {
    const event = sqsEvent();
    const body = JSON.parse(event.Records[0].body);
    body.occurredAt = 'yesterday';
    event.Records[0].body = JSON.stringify(body);
    const { handler, seen, log } = ledger();
    const response = await handler(event);
    expect(response!.batchItemFailures.map((f) => f.itemIdentifier)).toContain('059f36b4-87a3-44ab-83d2-661975830a7d');
    expect(seen.map((e) => e.id)).toEqual([BOOKING_ID]);
    expect(log.lines.some((l) => /occurredAt/.test(String(l.fields.reason)))).toBe(true);
  });

  it('acts on no event its authenticator refuses: the record fails (to the DLQ after its receives) and the log names it and why', async () => {
    const refuseBookings: EventAuthenticator = (event) => (event.id === BOOKING_ID ? { ok: false, reason: 'signed with key 0123456789abcdef, which is not a key of booking' } : { ok: true });
    const { handler, seen, log } = ledger(undefined, refuseBookings);
    const sqs = await handler(sqsEvent());
    expect(sqs!.batchItemFailures.map((f) => f.itemIdentifier)).toContain('9d5d6e2c-1f0a-4b8e-a3c7-0e4b2f6d8a1c');
    const failure = await handler(rmqEvent()).catch((err: unknown) => err);
    expect((failure as ConsumerBatchError).failedRecordIds).toContain(BOOKING_ID);
    expect(seen.map((e) => e.id)).toEqual([PAYMENT_ID, PAYMENT_ID]);
    const refused = log.lines.filter((l) => l.msg === 'event refused, not acted on: not authentic');
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatchObject({ level: 'error', fields: { consumer: 'ledger-recorder', eventId: BOOKING_ID, reason: expect.stringMatching(/not a key of booking/) } });
  });

  it('refuses an event of another shape', async () => {
    const { handler } = ledger();
    await expect(handler({ Records: [{ eventSource: 'aws:sns' }] } as unknown as SQSEvent)).rejects.toThrow(/unsupported event/);
  });
});
