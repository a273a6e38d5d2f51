// Picks the event transport for the local stack: RabbitMQ when one answers, else SQS on an
// embedded endpoint (local-aws-sqs, in this process), so `npm start` needs no broker at all.
import type { Server } from 'node:http';
import amqp from 'amqplib';
import { createSqsServer } from 'local-aws-sqs';
import { eventBusFromEnv } from '../../layers/events/connect';
import type { EventBus } from '../../layers/events/bus';
import type { Topology } from '../../layers/events/topology';
import { redact } from './postgres';

export const DEFAULT_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
/** ElasticMQ's port, the usual one for a local SQS. */
export const DEFAULT_EMBEDDED_SQS_PORT = 9324;

export async function rabbitMqReachable(url: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const conn = await amqp.connect(url, { timeout: timeoutMs });
    await conn.close();
    return true;
  } catch {
    return false;
  }
}

export interface EmbeddedSqs {
  endpoint: string;
  stop(): Promise<void>;
}

/** An in-process SQS endpoint. Its queues live in memory: they start empty on every start. */
export async function startEmbeddedSqs(port: number): Promise<EmbeddedSqs> {
  // The AWS lifecycle rule (60 s before a deleted queue's name is free again) only slows tests and restarts here.
  const server: Server = await createSqsServer({ port, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface LocalTransport {
  transport: 'rabbitmq' | 'sqs';
  bus: EventBus;
  /** The variables that build the same bus elsewhere (eventBusFromEnv). */
  env: Record<string, string>;
  /** One line for the person who started the stack. */
  description: string;
  stop(): Promise<void>;
}

/**
 * EVENT_TRANSPORT=rabbitmq or sqs forces a transport; unset, RabbitMQ is used when it answers
 * at RABBITMQ_URL, else SQS. SQS goes to SQS_ENDPOINT_URL when set (ElasticMQ, LocalStack),
 * else to an endpoint embedded on EMBEDDED_SQS_PORT.
 */
export async function chooseLocalTransport(opts: { environment: NodeJS.ProcessEnv; topology: Topology; say: (m: string) => void }): Promise<LocalTransport> {
  const { environment, topology, say } = opts;
  const rabbitUrl = environment.RABBITMQ_URL ?? DEFAULT_RABBITMQ_URL;
  const forced = environment.EVENT_TRANSPORT;
  if (forced && forced !== 'rabbitmq' && forced !== 'sqs') throw new Error(`EVENT_TRANSPORT must be rabbitmq or sqs, not "${forced}"`);

  let transport: 'rabbitmq' | 'sqs' = forced === 'sqs' ? 'sqs' : 'rabbitmq';
  if (!forced && !(await rabbitMqReachable(rabbitUrl))) transport = 'sqs';

  if (transport === 'rabbitmq') {
    const env = { EVENT_TRANSPORT: 'rabbitmq', RABBITMQ_URL: rabbitUrl };
    const bus = eventBusFromEnv(topology, env);
    return { transport, bus, env, description: `RabbitMQ at ${redact(rabbitUrl)}, exchange ${topology.exchange}`, stop: () => bus.close() };
  }

  let embedded: EmbeddedSqs | undefined;
  let endpoint = environment.SQS_ENDPOINT_URL;
  let emulator = environment.SQS_EMULATOR;
  if (!endpoint) {
    const port = Number(environment.EMBEDDED_SQS_PORT ?? DEFAULT_EMBEDDED_SQS_PORT);
    embedded = await startEmbeddedSqs(port);
    endpoint = embedded.endpoint;
    emulator = 'local-aws-sqs';
    say(
      forced
        ? `EVENT_TRANSPORT=sqs: using the SQS transport on an embedded endpoint at ${endpoint}`
        : `RabbitMQ is not reachable at ${redact(rabbitUrl)}; using the SQS transport on an embedded endpoint at ${endpoint}`,
    );
  }
  const env: Record<string, string> = { EVENT_TRANSPORT: 'sqs', SQS_ENDPOINT_URL: endpoint, ...(emulator ? { SQS_EMULATOR: emulator } : {}) };
  const bus = eventBusFromEnv(topology, env);
  return {
    transport,
    bus,
    env,
    description: `SQS at ${endpoint}${embedded ? ' (embedded)' : ''}, ${topology.queues.length} queues with DLQs`,
    async stop() {
      await bus.close();
      await embedded?.stop();
    },
  };
}
