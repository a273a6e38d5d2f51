// The events booking publishes, with their data shapes.
import { z } from 'zod';
import { newEvent } from '../../layers/events/envelope';

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

export const bookingConfirmed = (data: BookingConfirmed, correlationId?: string) => newEvent('booking.confirmed', data, { source: 'booking', correlationId });
export const bookingCancelled = (data: BookingCancelled, correlationId?: string) => newEvent('booking.cancelled', data, { source: 'booking', correlationId });
export const bookingRejected = (data: BookingRejected, correlationId?: string) => newEvent('booking.rejected', data, { source: 'booking', correlationId });
