// The outbox relay on AWS. Locally the event runner relays every outbox all the time; on AWS
// nothing runs between requests, so EventBridge invokes this function once a minute for each
// publishing domain (serverless.yml, infra/aws/functions.yml). An invocation first drains what
// is waiting, then keeps relaying on every commit (LISTEN/NOTIFY) for RELAY_WINDOW_SECONDS, so
// an event leaves within about a second rather than at the next minute. Invocations that
// overlap take disjoint rows (FOR UPDATE SKIP LOCKED), so each row is still published once.
// RELAY_WINDOW_SECONDS=0 makes it a plain once-a-minute drain that costs almost nothing.
import { SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { env, loadConfig } from '../../layers/core/config';
import { getPool } from '../../layers/core/db';
import { log as rootLog } from '../../layers/core/log';
import type { EventBus } from '../../layers/events/bus';
import { eventBusConfigShape } from '../../layers/events/connect';
import { relayOutbox, startOutboxRelay } from '../../layers/events/outbox';
import { createRabbitBus } from '../../layers/events/rabbitmq';
import { createSqsBus, localSqsClient } from '../../layers/events/sqs';
import { cinemaTopology } from '../broker/topology';

const config = loadConfig({
  ...eventBusConfigShape,
  // the domains whose functions write events to an outbox (infra/local/runner.ts PUBLISHING_DOMAINS)
  RELAY_DOMAIN: z.enum(['catalog', 'booking', 'payment']),
  // below the function's timeout (60 s), with room for the last round
  RELAY_WINDOW_SECONDS: env.int(50, 0, 50),
});

const log = rootLog.child({ component: 'outbox-relay', domain: config.RELAY_DOMAIN });
const topology = cinemaTopology({ prefix: config.EVENT_NAME_PREFIX });

function busOf(): EventBus {
  if (config.EVENT_TRANSPORT === 'sqs') {
    const client = config.SQS_ENDPOINT_URL ? localSqsClient(config.SQS_ENDPOINT_URL, config.AWS_REGION) : new SQSClient({ region: config.AWS_REGION });
    // The queues, DLQs and redrive policies belong to CloudFormation: the relay only sends
    // (and its role may do no more).
    return createSqsBus({ topology, client, declareTopology: false, log });
  }
  // Amazon MQ has no CloudFormation resource for queues: the relay declares the topology on
  // connecting, before the consumers' event source mappings read from the queues.
  return createRabbitBus({ url: config.RABBITMQ_URL, topology, log });
}

const bus = busOf();

export const handler = async (): Promise<{ domain: string; drained: number }> => {
  const pool = getPool(config.RELAY_DOMAIN);
  let drained = 0;
  for (;;) {
    const round = await relayOutbox(pool, bus, { batch: 100 });
    drained += round.published;
    if (round.failed) throw new Error(`${round.failed} outbox events of ${config.RELAY_DOMAIN} not published; the next invocation retries them`);
    if (round.published < 100) break;
  }
  if (config.RELAY_WINDOW_SECONDS > 0) {
    const relay = startOutboxRelay(pool, bus, { intervalMs: 1_000, maxBackoffMs: 5_000, log });
    await new Promise((resolve) => setTimeout(resolve, config.RELAY_WINDOW_SECONDS * 1000));
    await relay.stop();
  }
  log.info('outbox relayed', { drained });
  return { domain: config.RELAY_DOMAIN, drained };
};
