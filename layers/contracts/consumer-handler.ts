// The cinema's consumer functions are built with this: the events layer's handler, checking
// every event against the contracts and the publishers' keys before the consumer sees it.
import type { Logger } from '../core/log';
import { consumerHandler as eventsConsumerHandler, type ConsumerEventHandler } from '../events/aws';
import type { ConsumerQueue } from './consumers';
import { consumerAuthenticator } from './event-keys';

export function consumerHandler(queue: ConsumerQueue, handleEvent: ConsumerEventHandler, options: { log?: Logger } = {}) {
  return eventsConsumerHandler(queue, handleEvent, { authenticate: consumerAuthenticator(queue), log: options.log });
}
