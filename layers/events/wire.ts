// How an envelope is dressed for each transport, shared by the adapters and by the AWS
// event-shape helpers. Type-only imports: a consumer Lambda that needs these shapes does not
// pull in amqplib or the SQS client.
import type { Options } from 'amqplib';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { attributesOf, type Envelope } from './envelope';

/** Which delivery of an event this is, on RabbitMQ (SQS counts receives itself). */
export const ATTEMPT_HEADER = 'x-cinema-attempt';
export const LAST_ERROR_HEADER = 'x-cinema-last-error';
export const VERSION_HEADER = 'x-event-version';

/** AMQP properties of an event: the envelope is the body, these mirror it for tooling and AWS's event shape. */
export function amqpPropertiesOf(event: Envelope, headers: Record<string, unknown> = {}): Options.Publish {
  return {
    persistent: true,
    contentType: 'application/json',
    contentEncoding: 'utf-8',
    messageId: event.id,
    type: event.type,
    correlationId: event.correlationId,
    appId: event.source,
    timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    headers: { [VERSION_HEADER]: event.version, ...headers },
  };
}

export function sqsAttributesOf(event: Envelope): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributesOf(event))) out[name] = { DataType: 'String', StringValue: value };
  return out;
}

/** SQS queue names allow letters, digits, - and _ only. */
export const sqsQueueName = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '-');
