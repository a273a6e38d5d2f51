// The cinema's events, declared once: each type, the domain that publishes it and the shape
// of its data. Publishers build their events with the constructors below; consumers parse
// `event.data` with the same schemas, so no domain imports another domain's modules.
import { z } from 'zod';
import { newEvent, type Envelope } from '../events/envelope';
import { showtimeSpanProblem, showtimeStart } from './showtime-time';

// --- catalog ---------------------------------------------------------------------------

export const showtimeScheduledData = z
  .object({
    showtimeId: z.uuid(),
    movieId: z.uuid(),
    movieTitle: z.string(),
    hallId: z.uuid(),
    hallName: z.string(),
    // the same rule catalog schedules with (showtime-time.ts)
    startsAt: showtimeStart,
    endsAt: z.iso.datetime({ offset: true }),
    currency: z.string().length(3),
    // every seat of the showtime with its category and price in cents, and where it is (row,
    // the row's index from the screen, its column on the grid, accessible) for best-available;
    // events published before the places were carried have only category and price
    seats: z.record(
      z.string(),
      z.object({
        category: z.string(),
        price: z.number().int().min(0),
        row: z.string().optional(),
        rowIndex: z.number().int().min(0).optional(),
        position: z.number().int().min(0).optional(),
        accessible: z.boolean().optional(),
      }),
    ),
    // the hall's focal point on that grid (best-available's seats are the nearest to it)
    focalPoint: z.object({ rowIndex: z.number().min(0), position: z.number().min(0) }).optional(),
  })
  .superRefine((d, ctx) => {
    const problem = showtimeSpanProblem(d.startsAt, d.endsAt);
    if (problem) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: problem });
  });
export type ShowtimeScheduled = z.infer<typeof showtimeScheduledData>;

export const showtimeCancelledData = z.object({ showtimeId: z.uuid(), reason: z.string() });
export type ShowtimeCancelled = z.infer<typeof showtimeCancelledData>;

// --- booking ---------------------------------------------------------------------------

const bookingFacts = {
  bookingId: z.uuid(),
  paymentId: z.uuid(),
  checkoutId: z.uuid(),
  userId: z.uuid(),
  showtimeId: z.uuid(),
  seats: z.array(z.string()).min(1),
  amount: z.number().int().min(0),
  currency: z.string().length(3),
};

export const bookingConfirmedData = z.object(bookingFacts);
export type BookingConfirmed = z.infer<typeof bookingConfirmedData>;

export const bookingCancelledData = z.object({ ...bookingFacts, reason: z.string() });
export type BookingCancelled = z.infer<typeof bookingCancelledData>;

// What the customer's mails tell on top of the facts: the booking's reference, the showtime as
// people know it and, once confirmed, the tickets. Ticket codes are bearer credentials: the
// ledger parses with the schemas above, which leave all this out of its public record.
const forTheCustomer = {
  reference: z.string().optional(),
  showtime: z.object({ movieTitle: z.string(), hallName: z.string(), startsAt: z.string() }).optional(),
};
export const bookingConfirmedMailData = bookingConfirmedData.extend({
  ...forTheCustomer,
  tickets: z.array(z.object({ ticketId: z.uuid(), seat: z.string(), code: z.string() })).optional(),
});
export const bookingCancelledMailData = bookingCancelledData.extend(forTheCustomer);

// A paid checkout that could not become a booking: the payment must be refunded.
export const bookingRejectedData = z.object({
  paymentId: z.uuid(),
  checkoutId: z.uuid(),
  userId: z.uuid(),
  showtimeId: z.uuid(),
  seats: z.array(z.string()),
  amount: z.number().int().min(0),
  currency: z.string().length(3),
  reason: z.string(),
});
export type BookingRejected = z.infer<typeof bookingRejectedData>;

// --- payment ---------------------------------------------------------------------------

export const paymentSucceededData = z.object({
  paymentId: z.uuid(),
  checkoutId: z.uuid(),
  userId: z.uuid(),
  showtimeId: z.uuid(),
  seats: z.array(z.string()).min(1),
  amount: z.number().int().min(0),
  currency: z.string().length(3),
  provider: z.string(),
});
export type PaymentSucceeded = z.infer<typeof paymentSucceededData>;

export const paymentFailedData = z.object({ paymentId: z.uuid(), checkoutId: z.uuid(), userId: z.uuid(), reason: z.string() });
export type PaymentFailed = z.infer<typeof paymentFailedData>;

export const paymentRefundedData = z.object({
  paymentId: z.uuid(),
  refundId: z.uuid(),
  checkoutId: z.uuid(),
  userId: z.uuid(),
  amount: z.number().int().min(0),
  currency: z.string().length(3),
  reason: z.string(),
});
export type PaymentRefunded = z.infer<typeof paymentRefundedData>;

// --- the list ----------------------------------------------------------------------------

/** Every event type: the domain that publishes it and its data schema. The routing key of an event is its type. */
export const EVENTS = {
  'showtime.scheduled': { source: 'catalog', data: showtimeScheduledData },
  'showtime.cancelled': { source: 'catalog', data: showtimeCancelledData },
  'booking.confirmed': { source: 'booking', data: bookingConfirmedMailData },
  'booking.rejected': { source: 'booking', data: bookingRejectedData },
  'booking.cancelled': { source: 'booking', data: bookingCancelledMailData },
  'payment.success': { source: 'payment', data: paymentSucceededData },
  'payment.failed': { source: 'payment', data: paymentFailedData },
  'payment.refunded': { source: 'payment', data: paymentRefundedData },
} as const satisfies Record<string, { source: string; data: z.ZodType<Record<string, unknown>> }>;

export type EventType = keyof typeof EVENTS;
export type EventData<T extends EventType> = z.infer<(typeof EVENTS)[T]['data']>;

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

/** The domains that publish events, each through its outbox (one relay per domain). */
export const PUBLISHING_DOMAINS = [...new Set(Object.values(EVENTS).map((e) => e.source))];
export type PublishingDomain = (typeof EVENTS)[EventType]['source'];

/** The constructor a publisher uses for `type`: its source is the registry's, a correlation id carries the cause over. */
const publisher =
  <T extends EventType>(type: T) =>
  (data: EventData<T>, correlationId?: string): Envelope<EventData<T>> =>
    newEvent(type, data, { source: EVENTS[type].source, correlationId });

export const showtimeScheduled = publisher('showtime.scheduled');
export const showtimeCancelled = publisher('showtime.cancelled');
export const bookingConfirmed = publisher('booking.confirmed');
export const bookingRejected = publisher('booking.rejected');
export const bookingCancelled = publisher('booking.cancelled');
export const paymentSucceeded = publisher('payment.success');
export const paymentFailed = publisher('payment.failed');
export const paymentRefunded = publisher('payment.refunded');
