// The events catalog publishes, with their data shapes. Consumers parse with these schemas.
import { z } from 'zod';
import { newEvent } from '../../layers/events/envelope';

export const showtimeScheduledData = z.object({
  showtimeId: z.uuid(),
  movieId: z.uuid(),
  movieTitle: z.string(),
  hallId: z.uuid(),
  hallName: z.string(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  currency: z.string().length(3),
  // every seat of the showtime with its category and price in cents: booking needs nothing else
  seats: z.record(z.string(), z.object({ category: z.string(), price: z.number().int().min(0) })),
});
export type ShowtimeScheduled = z.infer<typeof showtimeScheduledData>;

export const showtimeCancelledData = z.object({ showtimeId: z.uuid(), reason: z.string() });
export type ShowtimeCancelled = z.infer<typeof showtimeCancelledData>;

export const showtimeScheduled = (data: ShowtimeScheduled, correlationId?: string) => newEvent('showtime.scheduled', data, { source: 'catalog', correlationId });
export const showtimeCancelled = (data: ShowtimeCancelled, correlationId?: string) => newEvent('showtime.cancelled', data, { source: 'catalog', correlationId });
