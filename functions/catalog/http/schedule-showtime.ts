import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { scheduleShowtime } from '../showtimes';
import { catalogConfig } from '../config';
import { showtimeStart } from '../../../layers/contracts/showtime-time';

const pool = getPool('catalog');

const body = z.strictObject({
  movieId: z.uuid(),
  hallId: z.uuid(),
  // the rule booking takes showtime.scheduled with, so what catalog schedules can be held
  startsAt: showtimeStart,
  prices: z.record(z.string(), z.number().int().min(0).max(1_000_000)).optional(),
});

export const handler = route({ access: 'admin', body }, async ({ body, correlationId }) => {
  const showtime = await scheduleShowtime(pool, body, { turnaroundMinutes: catalogConfig.HALL_TURNAROUND_MINUTES, currency: catalogConfig.CURRENCY, correlationId });
  return created({ showtime }, `/showtimes/${showtime.id}`);
});
