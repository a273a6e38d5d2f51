// RabbitMQ adapter of the event bus. Publishing uses a confirm channel and resolves only on
// the broker's ack; consumers each get their own confirm channel (so that scheduling a
// retry is itself confirmed before the original is acknowledged) and come back by
// themselves after the connection drops.
//
// Retries: a failed message is republished to `<queue>.retry.<delay>`, a queue with that
// TTL whose dead-letter target is the default exchange keyed by `<queue>`, so it comes back
// to this queue only, never fanned out again. The attempt number travels in a header. The
// last failure is nacked without requeue and the queue's own DLX moves it to `<queue>.dlq`.
import type { Socket } from 'node:net';
import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, MessageProperties, Options } from 'amqplib';
import { log as rootLog, type Logger } from '../core/log';
import { PublishError, type BatchConsumeOptions, type BatchHandler, type Consumer, type ConsumeOptions, type DeliveredEvent, type EventBus, type EventHandler } from './bus';
import { attributesOf, envelopeSchema, parseEnvelope, type Envelope, type EventAttributes } from './envelope';
import type { EventAuthenticator } from './signature';
import { amqpPropertiesOf, ATTEMPT_HEADER, LAST_ERROR_HEADER, VERSION_HEADER } from './wire';
import { deadLetterQueueName, maxAttempts, queueName, retryDelayAfter, retryQueueName, type Topology } from './topology';


export interface RabbitBusOptions {
  url: string;
  topology: Topology;
  /** Declare the topology on every (re)connection, so a fresh broker is usable at once. Default true. */
  declareTopology?: boolean;
  /** A publish not confirmed within this time fails. Default 10 s. */
  confirmTimeoutMs?: number;
  /** Default 5 s. */
  connectTimeoutMs?: number;
  /** Backoff between attempts to bring a consumer back. Default 200 ms doubling up to 10 s. */
  reconnectDelayMs?: { min: number; max: number };
  log?: Logger;
}

/** Declares exchanges, queues, bindings, retry and dead-letter queues. Safe to repeat. */
export async function assertTopology(channel: Channel, topology: Topology): Promise<void> {
  await channel.assertExchange(topology.exchange, 'topic', { durable: true });
  await channel.assertExchange(topology.deadLetterExchange, 'direct', { durable: true });
  const delays = [...new Set(topology.retryDelaysMs)];
  for (const spec of topology.queues) {
    const queue = queueName(topology, spec.name);
    await channel.assertQueue(queue, { durable: true, deadLetterExchange: topology.deadLetterExchange, deadLetterRoutingKey: queue });
    for (const binding of spec.bindings) await channel.bindQueue(queue, topology.exchange, binding);
    const dlq = deadLetterQueueName(queue);
    await channel.assertQueue(dlq, { durable: true });
    await channel.bindQueue(dlq, topology.deadLetterExchange, queue);
    for (const delay of delays) {
      await channel.assertQueue(retryQueueName(queue, delay), { durable: true, messageTtl: delay, deadLetterExchange: '', deadLetterRoutingKey: queue });
    }
  }
}

/** Removes everything `assertTopology` declared (tests, torn-down stages). */
export async function deleteTopology(channel: Channel, topology: Topology): Promise<void> {
  for (const spec of topology.queues) {
    const queue = queueName(topology, spec.name);
    await channel.deleteQueue(queue);
    await channel.deleteQueue(deadLetterQueueName(queue));
    for (const delay of new Set(topology.retryDelaysMs)) await channel.deleteQueue(retryQueueName(queue, delay));
  }
  await channel.deleteExchange(topology.exchange);
  await channel.deleteExchange(topology.deadLetterExchange);
}

function attributesOfProperties(p: MessageProperties, event: Envelope): EventAttributes {
  const fallback = attributesOf(event);
  const str = (v: unknown, otherwise: string) => (v === undefined || v === null ? otherwise : String(v));
  return {
    eventId: str(p.messageId, fallback.eventId),
    eventType: str(p.type, fallback.eventType),
    eventVersion: str(p.headers?.[VERSION_HEADER], fallback.eventVersion),
    source: str(p.appId, fallback.source),
    correlationId: str(p.correlationId, fallback.correlationId),
  };
}

function confirmedPublish(channel: ConfirmChannel, exchange: string, routingKey: string, body: Buffer, options: Options.Publish, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not confirmed within ${timeoutMs} ms`)), timeoutMs);
    try {
      channel.publish(exchange, routingKey, body, options, (err) => {
        clearTimeout(timer);
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve();
      });
    } catch (err) {
      clearTimeout(timer);
      reject(err);
    }
  });
}

const retryKey = (messageId: unknown, attempt: unknown) => `${String(messageId)}#${String(attempt)}`;

const ignore = (action: () => void) => {
  try {
    action();
  } catch {
    // the channel is gone; the broker requeues what was not acknowledged
  }
};

/** @internal the connection's socket, which amqplib's types do not show. */
export const socketOf = (model: ChannelModel): Socket => (model as unknown as { connection: { stream: Socket } }).connection.stream;

/**
 * amqplib writes every frame to the socket on its own (an ack, a publish), and with `noDelay` each
 * is a system call and a packet. The socket is corked at a turn's first write and uncorked on the
 * next tick, so the turn's frames (a batch's ten acks, the relay's publishes) leave in one
 * `writev`; nothing waits for a timer.
 */
function writeEachTurnAtOnce(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    return write.apply(this, args);
  } as Socket['write'];
}

export function createRabbitBus(options: RabbitBusOptions): RabbitBus {
  return new RabbitBus(options);
}

export class RabbitBus implements EventBus {
  readonly topology: Topology;
  private readonly log: Logger;
  private model?: ChannelModel;
  private connecting?: Promise<ChannelModel>;
  private publisher?: Promise<ConfirmChannel>;
  private readonly consumers = new Set<RabbitConsumer>();
  private closed = false;

  constructor(private readonly options: RabbitBusOptions) {
    this.topology = options.topology;
    this.log = (options.log ?? rootLog).child({ component: 'rabbitmq-bus' });
  }

  async publish(event: Envelope): Promise<void> {
    const valid = envelopeSchema.safeParse(event);
    if (!valid.success) throw new PublishError(`Refusing to publish an invalid envelope: ${valid.error.message}`, String(event?.id));
    let channel: ConfirmChannel;
    try {
      channel = await this.publishChannel();
    } catch (err) {
      throw new PublishError(`Event ${event.type} ${event.id} not published: broker unreachable (${(err as Error).message})`, event.id, { cause: err });
    }
    const body = Buffer.from(JSON.stringify(event));
    try {
      await confirmedPublish(channel, this.topology.exchange, event.type, body, amqpPropertiesOf(event), this.options.confirmTimeoutMs ?? 10_000);
    } catch (err) {
      throw new PublishError(`Event ${event.type} ${event.id} not confirmed by the broker: ${(err as Error).message}`, event.id, { cause: err });
    }
  }

  async consume(queue: string, handler: EventHandler, options: ConsumeOptions = {}): Promise<Consumer> {
    if (this.closed) throw new Error('The event bus is closed');
    const consumer = new RabbitConsumer(this, queue, queueName(this.topology, queue), handler, options.concurrency ?? 10, this.log.child({ queue }), options.authenticate);
    await consumer.start();
    this.consumers.add(consumer);
    return consumer;
  }

  async consumeBatches(queue: string, handler: BatchHandler, options: BatchConsumeOptions = {}): Promise<Consumer> {
    if (this.closed) throw new Error('The event bus is closed');
    const batching = { size: Math.max(1, options.batchSize ?? 10), windowMs: Math.max(0, options.batchWindowMs ?? 0), handler };
    const consumer = new RabbitConsumer(this, queue, queueName(this.topology, queue), async () => undefined, options.concurrency ?? 10, this.log.child({ queue }), options.authenticate, batching);
    await consumer.start();
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.stop()));
    const model = this.model ?? (await this.connecting?.catch(() => undefined));
    this.model = undefined;
    this.publisher = undefined;
    await model?.close().catch(() => undefined);
  }

  /** @internal */
  forget(consumer: RabbitConsumer): void {
    this.consumers.delete(consumer);
  }

  /** @internal the current connection, opened (and the topology declared) on demand. */
  connection(): Promise<ChannelModel> {
    if (this.closed) return Promise.reject(new Error('The event bus is closed'));
    if (this.model) return Promise.resolve(this.model);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** @internal */
  get reconnectDelayMs() {
    return this.options.reconnectDelayMs ?? { min: 200, max: 10_000 };
  }

  /** @internal */
  get confirmTimeoutMs() {
    return this.options.confirmTimeoutMs ?? 10_000;
  }

  private async open(): Promise<ChannelModel> {
    // noDelay: a publish is several small frames, and with Nagle on each confirm waited out the
    // broker's delayed ACK (tens of ms per event, the most of the pipeline's latency).
    const model = await amqp.connect(this.options.url, { timeout: this.options.connectTimeoutMs ?? 5_000, noDelay: true });
    writeEachTurnAtOnce(socketOf(model));
    model.on('error', (err: Error) => this.log.warn('RabbitMQ connection error', { err }));
    model.on('blocked', (reason: string) => this.log.warn('RabbitMQ blocks publishing', { reason }));
    model.on('close', () => {
      if (this.model === model) {
        this.model = undefined;
        this.publisher = undefined;
      }
      if (!this.closed) this.log.warn('RabbitMQ connection lost; consumers will reconnect');
    });
    try {
      if (this.options.declareTopology ?? true) {
        const channel = await model.createChannel();
        await assertTopology(channel, this.topology);
        await channel.close();
      }
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await model.close().catch(() => undefined);
      throw new Error('The event bus is closed');
    }
    this.model = model;
    return model;
  }

  private publishChannel(): Promise<ConfirmChannel> {
    if (this.publisher) return this.publisher;
    const opening: Promise<ConfirmChannel> = (async () => {
      const model = await this.connection();
      const channel = await model.createConfirmChannel();
      channel.on('error', (err: Error) => this.log.warn('RabbitMQ publishing channel failed', { err }));
      channel.on('close', () => {
        if (this.publisher === opening) this.publisher = undefined;
      });
      return channel;
    })();
    this.publisher = opening;
    opening.catch(() => {
      if (this.publisher === opening) this.publisher = undefined;
    });
    return opening;
  }
}

class RabbitConsumer implements Consumer {
  private channel?: ConfirmChannel;
  private consumerTag?: string;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  private restarts = 0;
  // Retries are published `mandatory`: a missing retry queue must not swallow the event.
  private readonly returned = new Set<string>();

  constructor(
    private readonly bus: RabbitBus,
    private readonly queue: string,
    private readonly physicalQueue: string,
    private readonly handler: EventHandler,
    private readonly concurrency: number,
    private readonly log: Logger,
    private readonly authenticate?: EventAuthenticator,
    private readonly batching?: { size: number; windowMs: number; handler: BatchHandler },
  ) {}

  async start(): Promise<void> {
    const model = await this.bus.connection();
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) => this.log.warn('RabbitMQ consumer channel failed', { err }));
    channel.on('close', () => this.channelClosed(channel));
    channel.on('return', (msg: ConsumeMessage) => this.returned.add(retryKey(msg.properties.messageId, msg.properties.headers?.[ATTEMPT_HEADER])));
    try {
      // batching: enough unacknowledged for every slot's batch, and one batch gathering
      await channel.prefetch(this.batching ? this.concurrency * this.batching.size + this.batching.size : this.concurrency);
      const { consumerTag } = await channel.consume(this.physicalQueue, (msg) => {
        if (msg === null) {
          this.log.warn('consumer cancelled by the broker (queue deleted?)');
          return;
        }
        if (this.batching) {
          this.gather(channel, msg);
          return;
        }
        const work = this.deliver(channel, msg);
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
      });
      this.channel = channel;
      this.consumerTag = consumerTag;
      if (this.restarts > 0) this.log.info('consumer reconnected', { after: this.restarts });
      this.restarts = 0;
    } catch (err) {
      await channel.close().catch(() => undefined);
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const channel = this.channel;
    this.channel = undefined;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    // not yet handed to a batch: left unacknowledged, the broker requeues them as the channel closes
    this.gathered = [];
    clearTimeout(this.windowTimer);
    await Promise.allSettled([...this.inFlight]);
    await channel?.close().catch(() => undefined);
    this.bus.forget(this);
  }

  private channelClosed(channel: ConfirmChannel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    // the broker requeues what the channel held; a batch must not act on those copies too
    this.gathered = this.gathered.filter((g) => g.channel !== channel);
    if (!this.stopped) this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const { min, max } = this.bus.reconnectDelayMs;
    const delay = Math.min(max, min * 2 ** this.restarts++);
    this.restartTimer = setTimeout(() => {
      if (this.stopped) return;
      this.start().catch((err) => {
        this.log.warn('consumer could not reconnect yet', { err: (err as Error).message, retryInMs: Math.min(max, min * 2 ** this.restarts) });
        if (!this.stopped) this.scheduleRestart();
      });
    }, delay);
  }

  /** The event of `msg`, or undefined when it can never succeed (malformed, not authentic): then dead-lettered. */
  private screen(channel: ConfirmChannel, msg: ConsumeMessage): DeliveredEvent | undefined {
    const attempt = Math.max(1, Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1) || 1);
    const parsed = parseEnvelope(msg.content);
    if (!parsed.ok) {
      // No retry can make a malformed body valid: straight to the DLQ, with the reason in the log.
      this.log.error('poison message dead-lettered: not a valid event envelope', { reason: parsed.reason, messageId: msg.properties.messageId });
      ignore(() => channel.nack(msg, false, false));
      return undefined;
    }
    const event = parsed.event;
    const verdict = this.authenticate?.(event);
    if (verdict && !verdict.ok) {
      this.log.error('event refused and dead-lettered: not authentic', { eventId: event.id, eventType: event.type, source: event.source, reason: verdict.reason });
      ignore(() => channel.nack(msg, false, false));
      return undefined;
    }
    return { event, delivery: { queue: this.queue, attempt, maxAttempts: maxAttempts(this.bus.topology), attributes: attributesOfProperties(msg.properties, event) } };
  }

  private async deliver(channel: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const item = this.screen(channel, msg);
    if (!item) return;
    try {
      await this.handler(item.event, item.delivery);
    } catch (err) {
      await this.settleFailure(channel, msg, item, err);
      return;
    }
    ignore(() => channel.ack(msg));
  }

  // Batching: messages wait in `gathered` until a slot is free (or the window is over).
  private gathered: { channel: ConfirmChannel; msg: ConsumeMessage; item: DeliveredEvent }[] = [];
  private batchesInFlight = 0;
  private windowTimer?: NodeJS.Timeout;

  private gather(channel: ConfirmChannel, msg: ConsumeMessage): void {
    const item = this.screen(channel, msg);
    if (!item) return;
    this.gathered.push({ channel, msg, item });
    this.pump();
  }

  private pump(): void {
    if (this.stopped) return;
    const batching = this.batching!;
    while (this.batchesInFlight < this.concurrency && this.gathered.length > 0) {
      if (this.gathered.length < batching.size && batching.windowMs > 0) {
        this.windowTimer ??= setTimeout(() => {
          this.windowTimer = undefined;
          this.flush();
        }, batching.windowMs);
        return;
      }
      this.flush();
    }
  }

  private flush(): void {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    if (this.gathered.length === 0 || this.batchesInFlight >= this.concurrency) return;
    const batch = this.gathered.splice(0, this.batching!.size);
    this.batchesInFlight++;
    const work = this.deliverBatch(batch).finally(() => {
      this.batchesInFlight--;
      this.pump();
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async deliverBatch(batch: { channel: ConfirmChannel; msg: ConsumeMessage; item: DeliveredEvent }[]): Promise<void> {
    let failures: Map<DeliveredEvent, unknown>;
    try {
      const failed = await this.batching!.handler(batch.map((b) => b.item));
      failures = new Map(failed.map((f) => [f.item, f.error]));
    } catch (err) {
      failures = new Map(batch.map((b) => [b.item, err]));
    }
    await Promise.all(
      batch.map(async ({ channel, msg, item }) => {
        if (failures.has(item)) await this.settleFailure(channel, msg, item, failures.get(item));
        else ignore(() => channel.ack(msg));
      }),
    );
  }

  /** A failed event alone: to its retry queue after the backoff, or after its last attempt to the DLQ. */
  private async settleFailure(channel: ConfirmChannel, msg: ConsumeMessage, { event, delivery }: DeliveredEvent, err: unknown): Promise<void> {
    const topology = this.bus.topology;
    const attempt = delivery.attempt;
    const log = this.log.child({ eventId: event.id, eventType: event.type, correlationId: event.correlationId, attempt });
    const reason = err instanceof Error ? err.message : String(err);
    const delay = retryDelayAfter(topology, attempt);
    if (delay === undefined) {
      log.error('event dead-lettered after its last attempt', { err });
      ignore(() => channel.nack(msg, false, false));
      return;
    }
    log.warn('event handling failed; will retry', { err: reason, retryInMs: delay });
    try {
      const headers = { [ATTEMPT_HEADER]: attempt + 1, [LAST_ERROR_HEADER]: reason.slice(0, 500) };
      const retryQueue = retryQueueName(this.physicalQueue, delay);
      await confirmedPublish(channel, '', retryQueue, msg.content, { ...amqpPropertiesOf(event, headers), mandatory: true }, this.bus.confirmTimeoutMs);
      // The broker sends a return before the confirm of the same message.
      if (this.returned.delete(retryKey(event.id, attempt + 1))) {
        log.error('retry queue missing; event dead-lettered instead', { retryQueue });
        ignore(() => channel.nack(msg, false, false));
        return;
      }
      ignore(() => channel.ack(msg));
    } catch (publishErr) {
      // Not acknowledged: the broker redelivers it when the channel comes back.
      log.warn('could not schedule the retry', { err: (publishErr as Error).message });
      ignore(() => channel.nack(msg, false, true));
    }
  }
}
