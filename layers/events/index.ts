// The events layer: envelope, bus port and adapters, topology, outbox/inbox, AWS shapes.
export { EVENT_TYPES, envelopeSchema, newEvent, parseEnvelope, attributesOf, type Envelope, type EventType, type EventAttributes, type NewEventOptions } from './envelope';
export { PublishError, type EventBus, type EventHandler, type Delivery, type Consumer, type ConsumeOptions } from './bus';
export { defineTopology, queuesBoundTo, bindingMatches, maxAttempts, queueName, deadLetterQueueName, retryQueueName, type Topology, type QueueSpec } from './topology';
export { createRabbitBus, assertTopology, deleteTopology, type RabbitBusOptions } from './rabbitmq';
export { createSqsBus, assertSqsTopology, deleteSqsTopology, localSqsClient, type SqsBusOptions } from './sqs';
export { eventBusFromEnv } from './connect';
export { OUTBOX_INBOX_SQL, OUTBOX_CHANNEL } from './sql';
export { enqueue, relayOutbox, startOutboxRelay, type OutboxRelay, type OutboxRelayOptions, type RelayResult } from './outbox';
export { handleOnce, type InboxOutcome } from './inbox';
export {
  consumerHandler,
  rabbitMqEventOf,
  sqsEventOf,
  recordsOfSqsEvent,
  recordsOfRabbitMqEvent,
  ConsumerBatchError,
  type RabbitMqEvent,
  type ConsumerEvent,
  type ConsumerContext,
  type ConsumerEventHandler,
} from './aws';
export { amqpPropertiesOf, sqsAttributesOf, sqsQueueName, ATTEMPT_HEADER } from './wire';
