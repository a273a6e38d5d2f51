// The cinema's broker topology, as data: one durable queue per consuming function and the
// event types it needs. A new consumer is one more line here; both transports (RabbitMQ and
// SQS) derive their queues, dead-letter queues and retry queues from it.
import type { EventType } from '../../layers/events/envelope';
import { defineTopology, type Topology, type TopologyOptions } from '../../layers/events/topology';

export const CONSUMER_QUEUES = {
  // marks seats of the seat map booked or free again
  'catalog-seat-map': ['booking.confirmed', 'booking.cancelled'],
  // turns a paid cart into a booking, or rejects it when the hold was lost
  'booking-payment-succeeded': ['payment.success'],
  // keeps booking's copy of showtimes (and cancels bookings of a cancelled showtime)
  'booking-showtimes': ['showtime.scheduled', 'showtime.cancelled'],
  // refunds a payment whose booking was rejected or cancelled
  'payment-refunds': ['booking.rejected', 'booking.cancelled'],
  // writes every money and booking fact to the PBFT ledger
  'ledger-recorder': ['payment.success', 'booking.confirmed', 'booking.cancelled', 'payment.refunded'],
} as const satisfies Record<string, readonly EventType[]>;

export type ConsumerQueue = keyof typeof CONSUMER_QUEUES;

/** 4 attempts over about a minute: enough to ride out a database failover, short enough that a bug shows in the DLQ quickly. */
export const RETRY_DELAYS_MS = [1_000, 10_000, 60_000] as const;

/** The topology every function and the local runner use; `prefix` isolates tests and stages. */
export function cinemaTopology(options: Omit<TopologyOptions, 'exchange' | 'deadLetterExchange'> = {}): Topology {
  return defineTopology(CONSUMER_QUEUES, { retryDelaysMs: RETRY_DELAYS_MS, ...options });
}
