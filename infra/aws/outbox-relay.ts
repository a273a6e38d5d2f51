// The outbox relay on AWS. Locally the event runner relays every outbox all the time; on AWS
// nothing runs between requests, so EventBridge invokes this function once a minute for each
// publishing domain (serverless.yml, infra/aws/functions.yml). An invocation first drains what
// is waiting, then keeps relaying on every commit (LISTEN/NOTIFY) for RELAY_WINDOW_SECONDS, so
// an event leaves within about a second rather than at the next minute. Invocations that
// overlap take disjoint rows (FOR UPDATE SKIP LOCKED), so each row is still published once.
// RELAY_WINDOW_SECONDS=0 makes it a plain once-a-minute drain that costs almost nothing.
import { z } from 'zod';
import { env, loadConfig } from '../../layers/core/config';
import { getPool } from '../../layers/core/db';
import { log as rootLog } from '../../layers/core/log';
import { cinemaTopology } from '../../layers/contracts/consumers';
import { PUBLISHING_DOMAINS } from '../../layers/contracts/events';
import { eventBusConfigShape, eventBusFromEnv } from '../../layers/events/connect';
import { outboxRelay } from '../../layers/events/outbox';
import { relaySigner } from '../../layers/contracts/event-keys';
import { signingPublisher } from '../../layers/events/signature';

const config = loadConfig({
  ...eventBusConfigShape,
  // the domains whose functions write events to an outbox
  RELAY_DOMAIN: z.enum(PUBLISHING_DOMAINS),
  // below the function's timeout (60 s), with room for the last round
  RELAY_WINDOW_SECONDS: env.int(50, 0, 50),
});

const log = rootLog.child({ component: 'outbox-relay', domain: config.RELAY_DOMAIN });
// On SQS the queues, DLQs and redrive policies belong to CloudFormation: the relay only sends
// (and its role may do no more). Amazon MQ has no CloudFormation resource for queues: there
// the relay declares the topology on connecting, before the consumers' event source mappings
// read from the queues.
const bus = eventBusFromEnv(cinemaTopology, process.env, { declareSqsQueues: false, log });
// The relay signs what it publishes: only it, of the domain's functions, holds the domain's key.
const signed = signingPublisher(relaySigner(config.RELAY_DOMAIN), bus);

export const handler = async (): Promise<{ domain: string; drained: number }> => {
  const relay = outboxRelay(getPool(config.RELAY_DOMAIN), signed, { intervalMs: 1_000, maxBackoffMs: 5_000, batch: 100, log });
  const waiting = await relay.drain();
  if (waiting.failed) throw new Error(`${waiting.failed} outbox events of ${config.RELAY_DOMAIN} not published; the next invocation retries them`);
  if (config.RELAY_WINDOW_SECONDS > 0) await relay.runUntil(Date.now() + config.RELAY_WINDOW_SECONDS * 1000);
  log.info('outbox relayed', { drained: waiting.published });
  return { domain: config.RELAY_DOMAIN, drained: waiting.published };
};
