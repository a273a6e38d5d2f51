// The cinema's consumer functions are built with this: the events layer's handler, checking
// every event against the contracts and the publishers' keys before the consumer sees it. A
// failure is answered without our stack trace (layers/core/invocation.ts): the local Lambda
// endpoint answers anyone who reaches it.
import type { Logger } from '../core/log';
import { plainFailures } from '../core/invocation';
import { consumerHandler as eventsConsumerHandler, type ConsumerEventHandler } from '../events/aws';
import type { ConsumerQueue } from './consumers';
import { consumerAuthenticator } from './event-keys';

export function consumerHandler(queue: ConsumerQueue, handleEvent: ConsumerEventHandler, options: { log?: Logger } = {}) {
  return plainFailures(queue, eventsConsumerHandler(queue, handleEvent, { authenticate: consumerAuthenticator(queue), log: options.log }), { log: options.log });
}
