// The bus a function or runner gets from its environment, built once at module load: a
// missing or malformed variable fails there, naming itself. The topology is the
// application's (the cinema passes its own, layers/contracts/consumers.ts).
import { z } from 'zod';
import { env, loadConfig } from '../core/config';
import type { Logger } from '../core/log';
import type { EventBus } from './bus';
import { createRabbitBus } from './rabbitmq';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createSqsBus, localSqsClient } from './sqs';
import type { Topology } from './topology';

export const eventBusConfigShape = {
  EVENT_TRANSPORT: z.enum(['rabbitmq', 'sqs']).default('rabbitmq'),
  RABBITMQ_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL').default('amqp://guest:guest@127.0.0.1:5672'),
  /** A local SQS endpoint; unset on AWS, where the SDK finds the regional one. */
  SQS_ENDPOINT_URL: env.url().optional(),
  /** `local-aws-sqs` when SQS_ENDPOINT_URL is that emulator (see SqsBusOptions.emulator). */
  SQS_EMULATOR: z.enum(['local-aws-sqs']).optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Isolates a stage (or a test run) on a shared broker. */
  EVENT_NAME_PREFIX: z.string().regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, - and _ only').default(''),
};

/** A topology, or what makes one for the prefix EVENT_NAME_PREFIX names. */
export type TopologySource = Topology | ((options: { prefix: string }) => Topology);

export interface EventBusFromEnvOptions {
  /**
   * SQS only: create the queues on first use. false where they belong to someone else (the
   * stage's CloudFormation stack) and the caller may only send. Default true.
   */
  declareSqsQueues?: boolean;
  log?: Logger;
}

export function eventBusFromEnv(topology: TopologySource, environment: NodeJS.ProcessEnv = process.env, options: EventBusFromEnvOptions = {}): EventBus {
  const config = loadConfig(eventBusConfigShape, environment);
  const resolved = typeof topology === 'function' ? topology({ prefix: config.EVENT_NAME_PREFIX }) : topology;
  if (config.EVENT_TRANSPORT === 'sqs') {
    const client = config.SQS_ENDPOINT_URL ? localSqsClient(config.SQS_ENDPOINT_URL, config.AWS_REGION) : new SQSClient({ region: config.AWS_REGION });
    return createSqsBus({ topology: resolved, client, emulator: config.SQS_EMULATOR, declareTopology: options.declareSqsQueues, log: options.log });
  }
  return createRabbitBus({ url: config.RABBITMQ_URL, topology: resolved, log: options.log });
}
