// Consumer Lambdas receive events in AWS's own shapes: from Amazon MQ for RabbitMQ
// (`aws:rmq`) or from SQS. Locally the runner invokes the same functions with the same
// shapes, built by `rabbitMqEventOf` / `sqsEventOf`, so a function cannot tell the two apart.
//
// Records are handled one at a time. SQS hears back which records failed
// (`batchItemFailures`, with `ReportBatchItemFailures` on the event source mapping) and
// retries only those; Amazon MQ has no partial answer, so the function throws and the whole
// batch comes back — the records that had succeeded are then skipped by the inbox.
import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { log as rootLog, type Logger } from '../core/log';
import { parseEnvelope, type Envelope, type EnvelopeParse } from './envelope';
import type { EventAuthenticator } from './signature';
import { amqpPropertiesOf, ATTEMPT_HEADER, sqsAttributesOf } from './wire';

export interface RabbitMqBasicProperties {
  contentType: string | null;
  contentEncoding: string | null;
  /** String values arrive as `{ bytes: number[] }`, numbers as numbers. */
  headers: Record<string, unknown> | null;
  deliveryMode: number | null;
  priority: number | null;
  correlationId: string | null;
  replyTo: string | null;
  expiration: string | null;
  messageId: string | null;
  timestamp: string | null;
  type: string | null;
  userId: string | null;
  appId: string | null;
  clusterId: string | null;
  bodySize: number;
}

export interface RabbitMqMessage {
  basicProperties: RabbitMqBasicProperties;
  redelivered: boolean;
  /** The body, base64. */
  data: string;
}

export interface RabbitMqEvent {
  eventSource: 'aws:rmq';
  eventSourceArn: string;
  /** Keyed `<queue>::<vhost>`. */
  rmqMessagesByQueue: Record<string, RabbitMqMessage[]>;
}

export type ConsumerEvent = SQSEvent | RabbitMqEvent;

export interface ConsumedRecord {
  /** Names the record in logs and, for SQS, in `batchItemFailures`. */
  recordId: string;
  queue: string;
  /** 1-based, when the transport says (SQS receive count; our RabbitMQ retry header). */
  attempt?: number;
  parsed: EnvelopeParse;
}

export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as SQSEvent | null)?.Records;
  return Array.isArray(records) && records.every((r) => (r as SQSRecord)?.eventSource === 'aws:sqs');
}

export function isRabbitMqEvent(event: unknown): event is RabbitMqEvent {
  const e = event as RabbitMqEvent | null;
  return e?.eventSource === 'aws:rmq' && typeof e.rmqMessagesByQueue === 'object' && e.rmqMessagesByQueue !== null;
}

export function recordsOfSqsEvent(event: SQSEvent): ConsumedRecord[] {
  return event.Records.map((record) => ({
    recordId: record.messageId,
    queue: record.eventSourceARN.split(':').pop() ?? record.eventSourceARN,
    attempt: Number(record.attributes?.ApproximateReceiveCount) || undefined,
    parsed: parseEnvelope(record.body ?? ''),
  }));
}

export function recordsOfRabbitMqEvent(event: RabbitMqEvent): ConsumedRecord[] {
  return Object.entries(event.rmqMessagesByQueue).flatMap(([key, messages]) => {
    const cut = key.lastIndexOf('::');
    const queue = cut === -1 ? key : key.slice(0, cut);
    return messages.map((message, i) => {
      const attempt = Number(headerValue(message.basicProperties?.headers?.[ATTEMPT_HEADER]));
      return {
        recordId: message.basicProperties?.messageId ?? `${key}[${i}]`,
        queue,
        attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : undefined,
        parsed: typeof message.data === 'string' ? parseEnvelope(Buffer.from(message.data, 'base64')) : { ok: false, reason: 'record has no data' },
      };
    });
  });
}

/** Amazon MQ writes string headers as their bytes. */
export function headerValue(value: unknown): unknown {
  if (value && typeof value === 'object' && Array.isArray((value as { bytes?: unknown }).bytes)) {
    return Buffer.from((value as { bytes: number[] }).bytes).toString('utf8');
  }
  return value;
}

export interface ConsumerContext {
  consumer: string;
  attempt?: number;
  log: Logger;
}

export type ConsumerEventHandler = (event: Envelope, context: ConsumerContext) => Promise<void>;

export class ConsumerBatchError extends Error {
  override name = 'ConsumerBatchError';
  constructor(readonly failedRecordIds: string[], total: number) {
    super(`${failedRecordIds.length} of ${total} events failed: ${failedRecordIds.join(', ')}`);
  }
}

export interface ConsumerHandlerOptions {
  /** Who may have published what this consumer takes (signature.ts): nothing it refuses is acted on. */
  authenticate: EventAuthenticator;
  log?: Logger;
}

/**
 * Wraps a consumer Lambda: parses each record into an envelope, checks who published it, and
 * calls `handleEvent` one record at a time. A record whose body is not a valid envelope, or
 * whose event `authenticate` refuses (forged, unsigned, from the wrong domain), counts as
 * failed and is logged with the reason, so its retries run out and it lands in the DLQ rather
 * than being acted on or lost. The check is here, in every consumer's one entry point, so a
 * direct invoke of the function meets it as a broker delivery does.
 */
export function consumerHandler(consumer: string, handleEvent: ConsumerEventHandler, options: ConsumerHandlerOptions) {
  const baseLog = (options.log ?? rootLog).child({ consumer });

  const handleRecord = async (record: ConsumedRecord): Promise<boolean> => {
    if (!record.parsed.ok) {
      baseLog.error('poison message: not a valid event envelope', { recordId: record.recordId, queue: record.queue, reason: record.parsed.reason });
      return false;
    }
    const event = record.parsed.event;
    const verdict = options.authenticate(event);
    if (!verdict.ok) {
      baseLog.error('event refused, not acted on: not authentic', { eventId: event.id, eventType: event.type, source: event.source, recordId: record.recordId, queue: record.queue, reason: verdict.reason });
      return false;
    }
    const log = baseLog.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationId, attempt: record.attempt });
    try {
      await handleEvent(event, { consumer, attempt: record.attempt, log });
      return true;
    } catch (err) {
      log.error('event handling failed', { err });
      return false;
    }
  };

  return async (event: ConsumerEvent, _context?: unknown): Promise<SQSBatchResponse | undefined> => {
    if (isSqsEvent(event)) {
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of recordsOfSqsEvent(event)) {
        if (!(await handleRecord(record))) batchItemFailures.push({ itemIdentifier: record.recordId });
      }
      return { batchItemFailures };
    }
    if (isRabbitMqEvent(event)) {
      const records = recordsOfRabbitMqEvent(event);
      const failed: string[] = [];
      for (const record of records) if (!(await handleRecord(record))) failed.push(record.recordId);
      if (failed.length) throw new ConsumerBatchError(failed, records.length);
      return undefined;
    }
    throw new Error(`${consumer}: unsupported event; expected an SQS or an Amazon MQ (aws:rmq) event`);
  };
}

export interface DeliveredEvent {
  event: Envelope;
  attempt?: number;
  redelivered?: boolean;
}

// One formatter for every record: toLocaleString builds a new one each time (about 50 µs
// against 1 µs here, for each record the local runner hands a function).
const amazonMqFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true });

function amazonMqTimestamp(iso: string): string {
  // Amazon MQ formats the AMQP timestamp the Java way, to the second, e.g. "Jan 1, 1970, 12:33:41 AM".
  return amazonMqFormat.format(new Date(Math.floor(Date.parse(iso) / 1000) * 1000)).replace(/\u202f/g, ' ');
}

const bytesOf = (value: string) => ({ bytes: [...Buffer.from(value, 'utf8')] });

/** The event Amazon MQ would hand a function for these messages of `queue` (for the local runner and tests). */
export function rabbitMqEventOf(
  queue: string,
  delivered: DeliveredEvent[],
  options: { vhost?: string; eventSourceArn?: string } = {},
): RabbitMqEvent {
  const messages = delivered.map(({ event, attempt, redelivered }): RabbitMqMessage => {
    const props = amqpPropertiesOf(event, attempt && attempt > 1 ? { [ATTEMPT_HEADER]: attempt } : {});
    const body = Buffer.from(JSON.stringify(event));
    const headers: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(props.headers ?? {})) headers[name] = typeof value === 'string' ? bytesOf(value) : value;
    return {
      basicProperties: {
        contentType: props.contentType ?? null,
        contentEncoding: props.contentEncoding ?? null,
        headers,
        deliveryMode: 2,
        priority: null,
        correlationId: props.correlationId ?? null,
        replyTo: null,
        expiration: null,
        messageId: props.messageId ?? null,
        timestamp: amazonMqTimestamp(event.occurredAt),
        type: props.type ?? null,
        userId: null,
        appId: props.appId ?? null,
        clusterId: null,
        bodySize: body.length,
      },
      redelivered: redelivered ?? false,
      data: body.toString('base64'),
    };
  });
  return {
    eventSource: 'aws:rmq',
    eventSourceArn: options.eventSourceArn ?? 'arn:aws:mq:us-east-1:000000000000:broker:cinema-local:b-00000000-0000-0000-0000-000000000000',
    rmqMessagesByQueue: { [`${queue}::${options.vhost ?? '/'}`]: messages },
  };
}

/** The event the SQS event source would hand a function for these messages of `queue`. */
export function sqsEventOf(queue: string, delivered: DeliveredEvent[], options: { region?: string; accountId?: string } = {}): SQSEvent {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  return {
    Records: delivered.map(({ event, attempt }, i) => {
      const body = JSON.stringify(event);
      const sent = String(Date.parse(event.occurredAt));
      const attributes = sqsAttributesOf(event);
      return {
        messageId: `${event.id}-${i}`,
        receiptHandle: Buffer.from(`${queue}/${event.id}/${attempt ?? 1}`).toString('base64'),
        body,
        attributes: {
          ApproximateReceiveCount: String(attempt ?? 1),
          SentTimestamp: sent,
          SenderId: accountId,
          ApproximateFirstReceiveTimestamp: sent,
        },
        messageAttributes: Object.fromEntries(
          Object.entries(attributes).map(([name, value]) => [name, { stringValue: value.StringValue, stringListValues: [], binaryListValues: [], dataType: 'String' }]),
        ),
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${region}:${accountId}:${queue}`,
        awsRegion: region,
      };
    }),
  };
}
