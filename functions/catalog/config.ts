import { z } from 'zod';
import { loadConfig, env } from '../../layers/core/config';

export const catalogConfig = loadConfig({
  // the cinema's own day: "showtimes on 2026-12-01" means that date where the cinema is
  CINEMA_TIME_ZONE: z.string().refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'must be an IANA time zone').default('UTC'),
  CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code').default('EUR'),
  // cleaning and seating time a hall needs between two showtimes
  HALL_TURNAROUND_MINUTES: env.int(15, 0, 240),
});
