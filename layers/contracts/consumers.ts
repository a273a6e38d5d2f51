// The cinema's consumers, declared once: one entry per consuming function and the event types
// its queue is bound to. A consumer has one name, `<domain>-<name>`: it is its queue, its
// function is that name in camelCase and its handler is `functions/<domain>/consumers/<name>.ts`.
// Everything else is derived from this list: the broker topology of both transports, the
// local event runner, and the deployed stage's queues, DLQs, event sources and consumer
// functions (serverless.yml reads them from infra/aws/consumers.ts when it packages).
import { defineTopology, type Topology, type TopologyOptions } from '../events/topology';
import type { EventType } from './events';

export interface ConsumerContract {
  /** The event types its queue is bound to. */
  bindings: readonly EventType[];
  /** A group of infra/aws/environment.yml (`<group>-<target>`) its function gets on top of the common environment. */
  environment?: string;
}

export const CONSUMERS = {
  // marks seats of the seat map booked or free again
  'catalog-seat-map': { bindings: ['booking.confirmed', 'booking.cancelled'] },
  // turns a paid cart into a booking, or rejects it when the hold was lost
  'booking-payment-succeeded': { bindings: ['payment.success'] },
  // keeps booking's copy of showtimes (and cancels bookings of a cancelled showtime)
  'booking-showtimes': { bindings: ['showtime.scheduled', 'showtime.cancelled'] },
  // refunds a payment whose booking was rejected or cancelled
  'payment-refunds': { bindings: ['booking.rejected', 'booking.cancelled'] },
  // tells the customer by mail: booking confirmed (with the tickets), cancelled and refunded, payment declined
  'auth-mails': { bindings: ['booking.confirmed', 'booking.cancelled', 'payment.failed'] },
  // writes every money and booking fact to the PBFT ledger; only it holds the ledger's signing key
  'ledger-recorder': { bindings: ['payment.success', 'booking.confirmed', 'booking.cancelled', 'payment.refunded'], environment: 'ledger-key' },
} as const satisfies Record<string, ConsumerContract>;

export type ConsumerQueue = keyof typeof CONSUMERS;

export const CONSUMER_QUEUES = Object.keys(CONSUMERS) as ConsumerQueue[];

/** The function behind a consumer queue, as serverless names it: `booking-payment-succeeded` → `bookingPaymentSucceeded`. */
export const consumerFunction = (queue: ConsumerQueue): string => queue.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The domain a consumer belongs to, and its handler module (without extension) under the project root. */
export function consumerModule(queue: ConsumerQueue): { domain: string; path: string } {
  const cut = queue.indexOf('-');
  const domain = queue.slice(0, cut);
  return { domain, path: `functions/${domain}/consumers/${queue.slice(cut + 1)}` };
}

/** 4 attempts over about a minute: enough to ride out a database failover, short enough that a bug shows in the DLQ quickly. */
export const RETRY_DELAYS_MS = [1_000, 10_000, 60_000] as const;

/** The topology every function and the local runner use; `prefix` isolates tests and stages. */
export function cinemaTopology(options: Omit<TopologyOptions, 'exchange' | 'deadLetterExchange'> = {}): Topology {
  const queues = Object.fromEntries(CONSUMER_QUEUES.map((queue) => [queue, CONSUMERS[queue].bindings]));
  return defineTopology(queues, { retryDelaysMs: RETRY_DELAYS_MS, ...options });
}
