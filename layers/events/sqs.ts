// SQS adapter of the event bus, for AWS without Amazon MQ and for the no-broker local
// default (an embedded SQS endpoint).
//
// Fan-out: SQS has no exchange, so `publish` sends the event to every queue whose bindings
// match its type, reading the same topology the RabbitMQ adapter declares. The usual AWS
// alternative, an SNS topic with a filter policy per subscription, would put a second
// service and a second copy of the bindings (the filter policies) in the picture, and has
// no local endpoint here. The cost of publisher-side fan-out: one SendMessage per bound
// queue, and a partly failed fan-out is published again in full by the outbox relay, so the
// queues that already had it see a duplicate — which the consumers' inbox absorbs anyway.
//
// Retries: a failed message is not deleted; its visibility timeout is set to the backoff
// delay, so it reappears then. Each queue's RedrivePolicy (maxReceiveCount = attempts) moves
// it to `<queue>-dlq` after the last attempt. The attempt number is SQS's own
// ApproximateReceiveCount.
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueNameExists,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { log as rootLog, type Logger } from '../core/log';
import { PublishError, type BatchConsumeOptions, type BatchHandler, type Consumer, type ConsumeOptions, type DeliveredEvent, type EventBus, type EventHandler } from './bus';
import { attributesOf, envelopeSchema, parseEnvelope, type Envelope, type EventAttributes } from './envelope';
import type { EventAuthenticator } from './signature';
import { sqsAttributesOf, sqsQueueName } from './wire';
import { deadLetterQueueName, maxAttempts, queueName, queuesBoundTo, retryDelayAfter, type Topology } from './topology';

export const DEAD_LETTER_REASON_ATTRIBUTE = 'deadLetterReason';
const FOURTEEN_DAYS = String(14 * 24 * 3600);

export interface SqsBusOptions {
  topology: Topology;
  client: SQSClient;
  /** Create the queues (idempotently) before first use. Default true. */
  declareTopology?: boolean;
  /** Long-poll wait of a receive, 0–20 s. Default 20 (1 with `emulator`). */
  waitTimeSeconds?: number;
  /**
   * Set when the endpoint is local-aws-sqs (2.0), which differs from SQS in two ways the
   * adapter must know: its ChangeMessageVisibility also bumps ApproximateReceiveCount, and a
   * long poll holds messages until the batch is full or the wait is over.
   */
  emulator?: 'local-aws-sqs';
  /** How long a handler may take before SQS hands the event to someone else. Default 30 s. */
  visibilityTimeoutSeconds?: number;
  log?: Logger;
}

/** A client for a local SQS endpoint (credentials are not checked there but the SDK wants some). */
export function localSqsClient(endpoint: string, region = 'us-east-1'): SQSClient {
  return new SQSClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 2 });
}

/** Creates each queue with its DLQ and RedrivePolicy; returns queue URLs by unprefixed name. Safe to repeat. */
export async function assertSqsTopology(
  client: SQSClient,
  topology: Topology,
  options: { visibilityTimeoutSeconds?: number; emulator?: 'local-aws-sqs' } = {},
): Promise<Map<string, string>> {
  const urls = new Map<string, string>();
  for (const spec of topology.queues) {
    const physical = queueName(topology, spec.name);
    const dlqUrl = await ensureQueue(client, sqsQueueName(deadLetterQueueName(physical)), { MessageRetentionPeriod: FOURTEEN_DAYS });
    const dlq = await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
    const url = await ensureQueue(client, sqsQueueName(physical), {
      MessageRetentionPeriod: FOURTEEN_DAYS,
      VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.Attributes?.QueueArn, maxReceiveCount: maxAttempts(topology) * receivesPerAttempt(options.emulator) }),
    });
    urls.set(spec.name, url);
  }
  return urls;
}

async function ensureQueue(client: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  try {
    const created = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return created.QueueUrl!;
  } catch (err) {
    // Exists with other attributes (e.g. a changed retry schedule): bring it up to date.
    if (!(err instanceof QueueNameExists)) throw err;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
    return QueueUrl!;
  }
}

// On local-aws-sqs an attempt that fails counts twice: its receive and the visibility change
// that schedules the retry.
const receivesPerAttempt = (emulator: SqsBusOptions['emulator']) => (emulator === 'local-aws-sqs' ? 2 : 1);

export async function deleteSqsTopology(client: SQSClient, topology: Topology): Promise<void> {
  for (const spec of topology.queues) {
    const physical = queueName(topology, spec.name);
    for (const name of [sqsQueueName(physical), sqsQueueName(deadLetterQueueName(physical))]) {
      const url = await client.send(new GetQueueUrlCommand({ QueueName: name })).catch(() => undefined);
      if (url?.QueueUrl) await client.send(new DeleteQueueCommand({ QueueUrl: url.QueueUrl }));
    }
  }
}

function attributesOfMessage(message: Message, event: Envelope): EventAttributes {
  const fallback = attributesOf(event);
  const get = (name: keyof EventAttributes) => message.MessageAttributes?.[name]?.StringValue ?? fallback[name];
  return { eventId: get('eventId'), eventType: get('eventType'), eventVersion: get('eventVersion'), source: get('source'), correlationId: get('correlationId') };
}

export function createSqsBus(options: SqsBusOptions): SqsBus {
  return new SqsBus(options);
}

export class SqsBus implements EventBus {
  readonly topology: Topology;
  /** @internal */ readonly client: SQSClient;
  /** @internal */ readonly log: Logger;
  private urls?: Promise<Map<string, string>>;
  private readonly consumers = new Set<SqsConsumer>();
  private closed = false;

  constructor(private readonly options: SqsBusOptions) {
    this.topology = options.topology;
    this.client = options.client;
    this.log = (options.log ?? rootLog).child({ component: 'sqs-bus' });
  }

  async publish(event: Envelope): Promise<void> {
    const valid = envelopeSchema.safeParse(event);
    if (!valid.success) throw new PublishError(`Refusing to publish an invalid envelope: ${valid.error.message}`, String(event?.id));
    const targets = queuesBoundTo(this.topology, event.type);
    const body = JSON.stringify(event);
    const results = await Promise.allSettled(
      targets.map(async (queue) => {
        const url = await this.queueUrl(queue);
        await this.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: sqsAttributesOf(event) }));
      }),
    );
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${targets[i]} (${(r.reason as Error)?.message ?? r.reason})`] : []));
    if (failed.length) {
      throw new PublishError(`Event ${event.type} ${event.id} not accepted by SQS queue(s): ${failed.join(', ')}`, event.id, {
        cause: (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason,
      });
    }
  }

  async consume(queue: string, handler: EventHandler, options: ConsumeOptions = {}): Promise<Consumer> {
    if (this.closed) throw new Error('The event bus is closed');
    queueName(this.topology, queue); // fails at once on an unknown queue
    const url = await this.queueUrl(queue);
    const consumer = new SqsConsumer(this, queue, url, handler, Math.min(10, Math.max(1, options.concurrency ?? 10)), this.log.child({ queue }), options.authenticate);
    this.consumers.add(consumer);
    consumer.start();
    return consumer;
  }

  async consumeBatches(queue: string, handler: BatchHandler, options: BatchConsumeOptions = {}): Promise<Consumer> {
    if (this.closed) throw new Error('The event bus is closed');
    queueName(this.topology, queue);
    const url = await this.queueUrl(queue);
    // a receive is the batch (SQS gives at most 10); `concurrency` receive loops run side by side
    const size = Math.min(10, Math.max(1, options.batchSize ?? 10));
    const consumer = new SqsConsumer(this, queue, url, async () => undefined, size, this.log.child({ queue }), options.authenticate, {
      handler,
      loops: Math.max(1, options.concurrency ?? 1),
    });
    this.consumers.add(consumer);
    consumer.start();
    return consumer;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }

  /** @internal */
  forget(consumer: SqsConsumer): void {
    this.consumers.delete(consumer);
  }

  /** @internal */
  get waitTimeSeconds() {
    return this.options.waitTimeSeconds ?? (this.options.emulator ? 1 : 20);
  }

  /** @internal */
  attemptOf(message: Message): number {
    const receives = Math.max(1, Number(message.Attributes?.ApproximateReceiveCount ?? 1) || 1);
    return Math.ceil(receives / receivesPerAttempt(this.options.emulator));
  }

  /** @internal */
  async queueUrl(queue: string, deadLetter = false): Promise<string> {
    if (!deadLetter && (this.options.declareTopology ?? true)) {
      if (!this.urls) {
        const asserting = assertSqsTopology(this.client, this.topology, {
          visibilityTimeoutSeconds: this.options.visibilityTimeoutSeconds,
          emulator: this.options.emulator,
        });
        this.urls = asserting;
        asserting.catch(() => {
          if (this.urls === asserting) this.urls = undefined;
        });
      }
      const url = (await this.urls).get(queue);
      if (url) return url;
    }
    const physical = queueName(this.topology, queue);
    const name = sqsQueueName(deadLetter ? deadLetterQueueName(physical) : physical);
    const { QueueUrl } = await this.client.send(new GetQueueUrlCommand({ QueueName: name }));
    return QueueUrl!;
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

class SqsConsumer implements Consumer {
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly bus: SqsBus,
    private readonly queue: string,
    private readonly url: string,
    private readonly handler: EventHandler,
    private readonly batch: number,
    private readonly log: Logger,
    private readonly authenticate?: EventAuthenticator,
    private readonly batching?: { handler: BatchHandler; loops: number },
  ) {}

  start(): void {
    const loops = this.batching?.loops ?? 1;
    this.loop = Promise.all(Array.from({ length: loops }, () => this.run())).then(() => undefined);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.bus.forget(this);
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let failures = 0;
    while (!signal.aborted) {
      let messages: Message[];
      try {
        const received = await this.bus.client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.url,
            MaxNumberOfMessages: this.batch,
            WaitTimeSeconds: this.bus.waitTimeSeconds,
            MessageAttributeNames: ['All'],
            // Both spellings: newer endpoints read the second, older emulators only the first.
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: signal },
        );
        messages = received.Messages ?? [];
        failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        const delay = Math.min(10_000, 200 * 2 ** failures++);
        this.log.warn('receiving from SQS failed; retrying', { err: (err as Error).message, retryInMs: delay });
        await sleep(delay, signal);
        continue;
      }
      if (this.batching) await this.deliverBatch(messages, this.batching.handler);
      else await Promise.all(messages.map((m) => this.deliver(m)));
    }
  }

  /** The event of `message`, or undefined when it can never succeed (malformed, not authentic): then dead-lettered. */
  private async screen(message: Message): Promise<DeliveredEvent | undefined> {
    const attempt = this.bus.attemptOf(message);
    const parsed = parseEnvelope(message.Body ?? '');
    if (!parsed.ok) {
      this.log.error('poison message dead-lettered: not a valid event envelope', { reason: parsed.reason, messageId: message.MessageId });
      await this.deadLetterNow(message, parsed.reason);
      return undefined;
    }
    const event = parsed.event;
    const verdict = this.authenticate?.(event);
    if (verdict && !verdict.ok) {
      this.log.error('event refused and dead-lettered: not authentic', { eventId: event.id, eventType: event.type, source: event.source, reason: verdict.reason });
      await this.deadLetterNow(message, `not authentic: ${verdict.reason}`);
      return undefined;
    }
    return { event, delivery: { queue: this.queue, attempt, maxAttempts: maxAttempts(this.bus.topology), attributes: attributesOfMessage(message, event) } };
  }

  private async deliver(message: Message): Promise<void> {
    const item = await this.screen(message);
    if (!item) return;
    try {
      await this.handler(item.event, item.delivery);
    } catch (err) {
      await this.settleFailure(message, item, err);
      return;
    }
    await this.settleSuccess(message, item);
  }

  private async deliverBatch(messages: Message[], handler: BatchHandler): Promise<void> {
    const screened = (await Promise.all(messages.map(async (message) => ({ message, item: await this.screen(message) })))).filter(
      (s): s is { message: Message; item: DeliveredEvent } => s.item !== undefined,
    );
    if (screened.length === 0) return;
    let failures: Map<DeliveredEvent, unknown>;
    try {
      const failed = await handler(screened.map((s) => s.item));
      failures = new Map(failed.map((f) => [f.item, f.error]));
    } catch (err) {
      failures = new Map(screened.map((s) => [s.item, err]));
    }
    await Promise.all(screened.map(({ message, item }) => (failures.has(item) ? this.settleFailure(message, item, failures.get(item)) : this.settleSuccess(message, item))));
  }

  /** A failed event alone: visible again after the backoff; after its last attempt the redrive takes it to the DLQ. */
  private async settleFailure(message: Message, { event, delivery }: DeliveredEvent, err: unknown): Promise<void> {
    const client = this.bus.client;
    const topology = this.bus.topology;
    const attempt = delivery.attempt;
    const log = this.log.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationId, attempt });
    const delay = retryDelayAfter(topology, attempt);
    if (delay === undefined) log.error('event handling failed for the last time; SQS moves it to the DLQ', { err });
    else log.warn('event handling failed; will retry', { err: (err as Error)?.message ?? String(err), retryInMs: delay });
    // Visible again after the backoff; after the last attempt at once, so the redrive happens now.
    const visibility = delay === undefined ? 0 : Math.ceil(delay / 1000);
    await client
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: this.url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: visibility }))
      .catch((e) => log.warn('could not set the retry delay; the queue visibility timeout applies', { err: (e as Error).message }));
  }

  private async settleSuccess(message: Message, { event, delivery }: DeliveredEvent): Promise<void> {
    const log = this.log.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationId, attempt: delivery.attempt });
    await this.bus.client
      .send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: message.ReceiptHandle }))
      .catch((e) => log.warn('handled event not deleted; it will be delivered again', { err: (e as Error).message }));
  }

  private async deadLetterNow(message: Message, reason: string): Promise<void> {
    try {
      const dlq = await this.bus.queueUrl(this.queue, true);
      await this.bus.client.send(
        new SendMessageCommand({
          QueueUrl: dlq,
          MessageBody: message.Body || '(empty)',
          MessageAttributes: { ...(message.MessageAttributes ?? {}), [DEAD_LETTER_REASON_ATTRIBUTE]: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
        }),
      );
      await this.bus.client.send(new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: message.ReceiptHandle }));
    } catch (err) {
      // Left in place, the redrive policy still takes it to the DLQ after its receives run out.
      this.log.warn('could not move the poison message to the DLQ now', { err: (err as Error).message });
    }
  }
}
