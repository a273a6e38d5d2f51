// The event bus port. Domains and runners depend on this and nothing else; RabbitMQ and
// SQS are adapters behind it.
import type { Envelope, EventAttributes } from './envelope';
import type { EventAuthenticator } from './signature';

export interface EventBus {
  /**
   * Resolves once the broker has durably taken the event for every queue bound to its type
   * (publisher confirm on RabbitMQ, a successful SendMessage per queue on SQS). Rejects with
   * `PublishError` otherwise: the caller must assume the event was not published.
   */
  publish(event: Envelope): Promise<void>;

  /**
   * Consumes a queue of the topology (by its unprefixed name). A handler that resolves has
   * handled the event and it is acknowledged; one that throws is retried after the
   * topology's backoff, then dead-lettered to `<queue>.dlq`. A body that is not a valid
   * envelope, or an event `options.authenticate` refuses, can never succeed and goes to the
   * DLQ at once. Delivery is at least once:
   * handlers must be idempotent (see `handleOnce`).
   */
  consume(queue: string, handler: EventHandler, options?: ConsumeOptions): Promise<Consumer>;

  /**
   * Consumes a queue a batch at a time, as AWS's event sources hand a function several records
   * per invocation: up to `batchSize` events, gathered while `concurrency` batches are in
   * flight (or for `batchWindowMs`), go to one call of `handler`. The handler says which events
   * of the batch failed; each of those alone is retried after the backoff and then
   * dead-lettered, the others are acknowledged. A handler that throws fails the whole batch.
   * Malformed and refused events are dead-lettered before any batch holds them.
   */
  consumeBatches(queue: string, handler: BatchHandler, options?: BatchConsumeOptions): Promise<Consumer>;

  /** Stops every consumer, waits for handlers in flight, and closes connections. */
  close(): Promise<void>;
}

export type EventHandler = (event: Envelope, delivery: Delivery) => Promise<void>;

export interface DeliveredEvent {
  event: Envelope;
  delivery: Delivery;
}

/** Resolves with the events of the batch that failed (the same objects), each with its error. */
export type BatchHandler = (batch: DeliveredEvent[]) => Promise<BatchFailure[]>;

export interface BatchFailure {
  item: DeliveredEvent;
  error: unknown;
}

export interface BatchConsumeOptions extends ConsumeOptions {
  /** Events per batch at most (SQS: at most 10, one receive). Default 10. */
  batchSize?: number;
  /**
   * How long a batch that is not full waits for more events. Default 0: a batch goes as soon
   * as a slot is free, so batches fill only while all `concurrency` slots are busy.
   */
  batchWindowMs?: number;
}

export interface Delivery {
  /** Unprefixed queue name. */
  queue: string;
  /** 1 on first delivery; the DLQ follows a failure of attempt `maxAttempts`. */
  attempt: number;
  maxAttempts: number;
  /** The transport's own copy of the envelope's identity (AMQP properties, SQS message attributes). */
  attributes: EventAttributes;
}

export interface ConsumeOptions {
  /**
   * Events handled at once by this consumer (AMQP prefetch; SQS receive batch). Default 10.
   * With `consumeBatches`, batches in flight at once.
   */
  concurrency?: number;
  /**
   * Checks who published each event before the handler sees it (signature.ts). An event it
   * refuses can never become genuine by retrying: it goes to the DLQ at once, logged with its
   * id and the reason, like a malformed body.
   */
  authenticate?: EventAuthenticator;
}

export interface Consumer {
  /** Stops receiving and waits for the handlers in flight. */
  stop(): Promise<void>;
}

export class PublishError extends Error {
  override name = 'PublishError';
  constructor(
    message: string,
    readonly eventId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
