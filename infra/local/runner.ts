// The local event runner: what AWS's event source mappings and a relay do in the cloud.
// - Relays each publishing domain's outbox to the bus.
// - Consumes every consumer queue and invokes the consuming function through
//   serverless-offline's Lambda endpoint with AWS's own event shape (Amazon MQ's `aws:rmq`,
//   or SQS's Records), a batch of up to `batchSize` records per invocation as the event source
//   mappings do, acknowledging each record only after the function succeeded with it; a
//   failed record goes back to the bus alone, which retries it with backoff and then
//   dead-letters it.
import pg from 'pg';
import { databaseUrl } from '../../layers/core/db';
import { log as rootLog, type Logger } from '../../layers/core/log';
import { CONSUMER_QUEUES, consumerFunction } from '../../layers/contracts/consumers';
import { PUBLISHING_DOMAINS } from '../../layers/contracts/events';
import { consumerAuthenticator, relaySigner } from '../../layers/contracts/event-keys';
import { signingPublisher } from '../../layers/events/signature';
import type { BatchFailure, Consumer, DeliveredEvent, EventBus } from '../../layers/events/bus';
import { rabbitMqEventOf, sqsEventOf } from '../../layers/events/aws';
import { outboxRelay, type OutboxRelay } from '../../layers/events/outbox';
import { queueName, type Topology } from '../../layers/events/topology';
import type { ChainClient } from '../../layers/chain/port';
import { ledgerSubmitter, type LedgerSubmitter } from '../../functions/ledger/entries';
import { webhookSender } from '../../functions/payment/test-provider/provider';
import { lambdaEndpoint, LambdaEndpointRefusal } from './lambda-endpoint';

export interface EventRunnerOptions {
  bus: EventBus;
  topology: Topology;
  transport: 'rabbitmq' | 'sqs';
  lambdaEndpoint: string;
  /** `<service>-<stage>-`, the prefix serverless gives function names. */
  functionPrefix: string;
  databaseEnv: { DATABASE_URL: string; DATABASE_PREFIX: string };
  /**
   * EVENT_SIGNING_KEY_<DOMAIN> for each relay and EVENT_PUBLIC_KEY_<DOMAIN> for each consumer
   * queue (layers/contracts/event-keys.ts): the relays sign what they publish, and an event
   * that is not genuine is dead-lettered before any function is invoked with it.
   */
  eventKeys: Record<string, string | undefined>;
  /** Invocations in flight at once per consumer queue. Default 10. */
  concurrency?: number;
  /**
   * Records per invocation at most (the event source mapping's BatchSize; SQS: up to 10).
   * Default 10. Batches fill only while every invocation slot is busy, so a quiet queue's
   * event still goes alone and at once.
   */
  batchSize?: number;
  /** How long a batch that is not full waits for more (MaximumBatchingWindow). Default 0. */
  batchWindowMs?: number;
  relayIntervalMs?: number;
  /**
   * How long an invocation that cannot reach the Lambda endpoint at all is tried again in
   * place (default 120 s) before it counts as a failed attempt: the endpoint being down for a
   * restart is not the function failing, and must not spend the event's retries.
   */
  endpointOutageMs?: number;
  /**
   * The ledger's side: without a signing key the recorder is not consumed (its events wait,
   * durable, in its queue); with a chain client the submitter makes recorded facts final.
   */
  ledger?: { enabled: boolean; chain?: ChainClient };
  /**
   * The built-in test provider's webhook sender (it plays the card network's side): the
   * webhooks its payment page could not deliver, retried until payment has them.
   */
  testProvider?: { webhookUrl: string; webhookSecret: string };
  log?: Logger;
}

export interface EventRunner {
  stop(): Promise<void>;
}

/** An error from the way to the endpoint (refused, reset, timed out), not an answer from it. */
function unreachable(err: unknown): boolean {
  if (err instanceof LambdaEndpointRefusal) return false;
  const e = err as { code?: string; name?: string; cause?: unknown };
  const codes = [e?.code, (e?.cause as { code?: string } | undefined)?.code, e?.name];
  return codes.some((c) => typeof c === 'string' && /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|socket hang up|TimeoutError|UND_ERR/.test(c));
}

/**
 * Invokes, and while the endpoint cannot be reached at all tries again with backoff for up to
 * `withinMs`; what the endpoint answers (a function error included) is returned or thrown at once.
 */
export async function invokeThroughOutage<T>(invoke: () => Promise<T>, withinMs: number, onWait: () => void): Promise<T> {
  const until = Date.now() + withinMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await invoke();
    } catch (err) {
      if (!unreachable(err) || Date.now() + delay > until) throw err;
      if (delay === 250) onWait();
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export async function startEventRunner(opts: EventRunnerOptions): Promise<EventRunner> {
  // EVENT_RUNNER_* override the defaults (the pipeline bench compares settings with them)
  const setting = (name: string, otherwise: number) => {
    const value = Number(process.env[name] ?? otherwise);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, not "${process.env[name]}"`);
    return value;
  };
  const settings = {
    concurrency: Math.max(1, setting('EVENT_RUNNER_CONCURRENCY', 10)),
    batchSize: Math.max(1, setting('EVENT_RUNNER_BATCH_SIZE', 10)),
    batchWindowMs: setting('EVENT_RUNNER_BATCH_WINDOW_MS', 0),
  };
  const log = (opts.log ?? rootLog).child({ component: 'event-runner' });
  const lambda = lambdaEndpoint(opts.lambdaEndpoint);
  const pools: pg.Pool[] = [];
  const relays: OutboxRelay[] = [];
  const consumers: Consumer[] = [];

  // the same relay and submitter the deployed stage's scheduled functions run, here until stopped
  for (const domain of PUBLISHING_DOMAINS) {
    const pool = new pg.Pool({ connectionString: databaseUrl(domain, opts.databaseEnv), max: 3 });
    pool.on('error', (err) => log.warn('relay database connection failed', { domain, err }));
    pools.push(pool);
    const relay = outboxRelay(pool, signingPublisher(relaySigner(domain, opts.eventKeys), opts.bus), { intervalMs: opts.relayIntervalMs ?? 500, log: log.child({ domain }) });
    void relay.runUntil();
    relays.push(relay);
  }

  for (const queue of CONSUMER_QUEUES) {
    if (queue === 'ledger-recorder' && !opts.ledger?.enabled) continue;
    const fn = consumerFunction(queue);
    const physical = queueName(opts.topology, queue);
    const invoke = async (batch: DeliveredEvent[]) => {
      const payload =
        opts.transport === 'sqs'
          ? sqsEventOf(physical, batch.map(({ event, delivery }) => ({ event, attempt: delivery.attempt })))
          : rabbitMqEventOf(physical, batch.map(({ event, delivery }) => ({ event, attempt: delivery.attempt, redelivered: delivery.attempt > 1 })));
      const body = JSON.stringify(payload);
      const res = await invokeThroughOutage(() => lambda.invoke(opts.functionPrefix + fn, body), opts.endpointOutageMs ?? 120_000, () => {
        log.warn('Lambda endpoint unreachable; the invocation waits for it', { fn, eventIds: batch.map((b) => b.event.id) });
      });
      return { payload, functionError: res.functionError, text: res.payload };
    };
    /** The records of `batch` the function failed with. */
    const invokeBatch = async (batch: DeliveredEvent[]): Promise<BatchFailure[]> => {
      const { payload, functionError, text } = await invoke(batch);
      if (functionError) {
        // A function error does not say which records failed (Amazon MQ has no partial answer):
        // each record goes again alone, so only the bad one is retried; the good ones meet their inbox row.
        if (batch.length > 1) return (await Promise.all(batch.map((item) => invokeBatch([item])))).flat();
        const [{ event }] = batch;
        return [{ item: batch[0], error: new Error(`${fn} failed on ${event.type} ${event.id}: ${text.slice(0, 500)}`) }];
      }
      if (opts.transport !== 'sqs') return [];
      const reported = new Set<string>(((text ? JSON.parse(text) : undefined)?.batchItemFailures ?? []).map((f: { itemIdentifier: string }) => f.itemIdentifier));
      const records = (payload as ReturnType<typeof sqsEventOf>).Records;
      return batch.flatMap((item, i) => (reported.has(records[i].messageId) ? [{ item, error: new Error(`${fn} reported ${item.event.type} ${item.event.id} as failed`) }] : []));
    };
    consumers.push(
      await opts.bus.consumeBatches(queue, invokeBatch, {
        concurrency: opts.concurrency ?? settings.concurrency,
        batchSize: opts.batchSize ?? settings.batchSize,
        batchWindowMs: opts.batchWindowMs ?? settings.batchWindowMs,
        authenticate: consumerAuthenticator(queue, opts.eventKeys),
      }),
    );
  }
  let submitter: LedgerSubmitter | undefined;
  if (opts.ledger?.enabled && opts.ledger.chain) {
    const pool = new pg.Pool({ connectionString: databaseUrl('ledger', opts.databaseEnv), max: 3 });
    pool.on('error', (err) => log.warn('ledger database connection failed', { err }));
    pools.push(pool);
    submitter = ledgerSubmitter(pool, opts.ledger.chain, { log: log.child({ component: 'ledger-submitter' }) });
    void submitter.runUntil();
  }
  let sender: ReturnType<typeof webhookSender> | undefined;
  if (opts.testProvider) {
    const pool = new pg.Pool({ connectionString: databaseUrl('payment', opts.databaseEnv), max: 2 });
    pool.on('error', (err) => log.warn('test provider database connection failed', { err }));
    pools.push(pool);
    const senderLog = log.child({ component: 'test-provider-webhooks' });
    sender = webhookSender(pool, opts.testProvider.webhookUrl, opts.testProvider.webhookSecret, { onError: (err) => senderLog.warn('webhook round failed', { err }) });
  }
  log.info('event runner started', { consumers: consumers.length, relays: relays.length, ledgerSubmitter: !!submitter, testProviderWebhooks: !!sender });

  return {
    async stop() {
      await Promise.allSettled(consumers.map((c) => c.stop()));
      await Promise.allSettled(relays.map((r) => r.stop()));
      await submitter?.stop();
      await sender?.stop();
      await Promise.allSettled(pools.map((p) => p.end()));
      lambda.close();
    },
  };
}
