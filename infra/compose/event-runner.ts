// The event runner as a process of its own, for Compose: what `npm start` runs inside itself.
// It relays the domains' outboxes to RabbitMQ and invokes the consumer functions through the
// API container's Lambda endpoint, with AWS's event shapes, acknowledging after they succeed.
import { z } from 'zod';
import { env, loadConfig } from '../../layers/core/config';
import { log } from '../../layers/core/log';
import { eventBusConfigShape, eventBusFromEnv } from '../../layers/events/connect';
import { cinemaTopology } from '../../layers/contracts/consumers';
import { startEventRunner } from '../local/runner';
import { chainClientFromEnv } from '../../layers/chain/client';

const config = loadConfig({
  ...eventBusConfigShape,
  DATABASE_URL: env.url(),
  DATABASE_PREFIX: env.name('cinema'),
  LAMBDA_ENDPOINT: env.url(),
  // the names serverless-offline gives the functions: <service>-<stage>-
  FUNCTION_PREFIX: z.string().min(1).default('cinema-local-'),
  // with both, the built-in test provider's webhook sender runs here too
  PAYMENT_WEBHOOK_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  PAYMENT_WEBHOOK_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32).optional()),
});

// With the replicas known, the ledger's recorder is consumed and its submitter runs.
const chain = process.env.CHAIN_NODES ? chainClientFromEnv() : undefined;

const topology = cinemaTopology({ prefix: config.EVENT_NAME_PREFIX });
const bus = eventBusFromEnv(topology);
const runner = await startEventRunner({
  bus,
  topology,
  transport: config.EVENT_TRANSPORT,
  lambdaEndpoint: config.LAMBDA_ENDPOINT,
  functionPrefix: config.FUNCTION_PREFIX,
  databaseEnv: { DATABASE_URL: config.DATABASE_URL, DATABASE_PREFIX: config.DATABASE_PREFIX },
  // EVENT_SIGNING_KEY_<DOMAIN> for the relays, EVENT_PUBLIC_KEY_<DOMAIN> to refuse forged events
  eventKeys: process.env,
  ledger: { enabled: !!chain, chain },
  testProvider: config.PAYMENT_WEBHOOK_URL && config.PAYMENT_WEBHOOK_SECRET ? { webhookUrl: config.PAYMENT_WEBHOOK_URL, webhookSecret: config.PAYMENT_WEBHOOK_SECRET } : undefined,
});
log.info('event runner ready', { transport: config.EVENT_TRANSPORT, lambda: config.LAMBDA_ENDPOINT });

const stop = async () => {
  await runner.stop();
  await bus.close();
  chain?.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
