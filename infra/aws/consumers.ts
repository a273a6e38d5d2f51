// The consumers' part of serverless.yml, derived from the registry (layers/contracts/consumers.ts)
// when serverless packages: their functions with the event sources of each deployment target,
// and for SQS their queues, DLQs and the relays' right to send to them. serverless.yml reads
// it through consumers.cjs (osls loads `${file(x.cjs)}` with require, which cannot load
// TypeScript by itself). Nothing here is written by hand per consumer.
//  - offline: no event source; the event runner invokes the functions (infra/local/runner.ts).
//  - sqs: one queue per consumer and a DLQ each, named as the SQS adapter names them
//    (<prefix><queue>, <prefix><queue>-dlq), redrive after the topology's attempts; a failed
//    record is retried after the visibility timeout and the function answers batchItemFailures.
//  - rabbitmq: the queues of an Amazon MQ broker (brokerArn), signed in with brokerSecretArn.
import { CONSUMER_QUEUES, CONSUMERS, cinemaTopology, consumerFunction, consumerModule, type ConsumerContract, type ConsumerQueue } from '../../layers/contracts/consumers';
import { deadLetterQueueName, maxAttempts } from '../../layers/events/topology';
import { sqsQueueName } from '../../layers/events/wire';

export type Target = 'offline' | 'sqs' | 'rabbitmq';
export const TARGETS: readonly Target[] = ['offline', 'sqs', 'rabbitmq'];

// Resolved by serverless after it has read this file: the stage's name prefix and broker.
const PREFIX = '${param:eventNamePrefix}';
const BROKER_ARN = '${param:brokerArn}';
const BROKER_SECRET_ARN = '${param:brokerSecretArn}';

/** Events a consumer function is handed at once. */
const BATCH_SIZE = 10;
/** 14 days, SQS's longest: an event waits that long for a consumer that is down. */
const RETENTION_SECONDS = 1_209_600;
// 6 × the functions' timeout (15 s, serverless.yml), as AWS advises for a queue a Lambda event
// source reads: a slow batch is not handed out twice meanwhile.
const VISIBILITY_TIMEOUT_SECONDS = 90;

const pascal = (queue: ConsumerQueue) => queue.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
/** CloudFormation's logical ids of a consumer's queue and its DLQ. */
export const queueResourceId = (queue: ConsumerQueue) => `${pascal(queue)}Queue`;
export const deadLetterQueueResourceId = (queue: ConsumerQueue) => `${pascal(queue)}DeadLetterQueue`;

function eventSources(target: Target, queue: ConsumerQueue): unknown[] {
  if (target === 'sqs') return [{ sqs: { arn: { 'Fn::GetAtt': [queueResourceId(queue), 'Arn'] }, batchSize: BATCH_SIZE, functionResponseType: 'ReportBatchItemFailures' } }];
  if (target === 'rabbitmq') return [{ rabbitmq: { arn: BROKER_ARN, basicAuthArn: BROKER_SECRET_ARN, queue: PREFIX + queue, batchSize: BATCH_SIZE } }];
  return [];
}

/** The consumer functions of a target, keyed by function name. */
export function consumerFunctions(target: Target): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    CONSUMER_QUEUES.map((queue) => {
      const contract: ConsumerContract = CONSUMERS[queue];
      const fn: Record<string, unknown> = { handler: `${consumerModule(queue).path}.handler` };
      if (contract.environment) fn.environment = `\${file(infra/aws/environment.yml):${contract.environment}-${target}}`;
      fn.events = eventSources(target, queue);
      return [consumerFunction(queue), fn];
    }),
  );
}

/** The CloudFormation resources a target's consumers need beside their functions. */
export function consumerResources(target: Target): { Resources?: Record<string, unknown> } {
  if (target !== 'sqs') return {};
  const attempts = maxAttempts(cinemaTopology());
  const resources: Record<string, unknown> = {
    // only the relays send events (their role is in resources.yml), to the consumer queues and not their DLQs
    OutboxRelaySendsEvents: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'outbox-relay-sends-events',
        Roles: [{ Ref: 'OutboxRelayRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueUrl'], Resource: CONSUMER_QUEUES.map((q) => ({ 'Fn::GetAtt': [queueResourceId(q), 'Arn'] })) }],
        },
      },
    },
  };
  for (const queue of CONSUMER_QUEUES) {
    // the prefix is letters, digits, - and _ (EVENT_NAME_PREFIX), which SQS names keep as they are
    resources[queueResourceId(queue)] = {
      Type: 'AWS::SQS::Queue',
      Properties: {
        MessageRetentionPeriod: RETENTION_SECONDS,
        VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
        QueueName: PREFIX + sqsQueueName(queue),
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueueResourceId(queue), 'Arn'] }, maxReceiveCount: attempts },
      },
    };
    resources[deadLetterQueueResourceId(queue)] = {
      Type: 'AWS::SQS::Queue',
      Properties: { MessageRetentionPeriod: RETENTION_SECONDS, QueueName: PREFIX + sqsQueueName(deadLetterQueueName(queue)) },
    };
  }
  return { Resources: resources };
}

/** What serverless.yml reads: `${file(infra/aws/consumers.cjs):functions.<target>}` and `…:resources.<target>}`. */
export const serverless = {
  functions: Object.fromEntries(TARGETS.map((t) => [t, consumerFunctions(t)])),
  resources: Object.fromEntries(TARGETS.map((t) => [t, consumerResources(t)])),
};
