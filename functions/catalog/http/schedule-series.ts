import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { RuleBroken } from '../../../layers/core/errors';
import { MAX_SERIES_SHOWTIMES, scheduleSeries, seriesStarts } from '../showtimes';
import { catalogConfig } from '../config';
import { showtimeStart } from '../../../layers/contracts/showtime-time';
import { isoDate } from '../schemas';

const pool = getPool('catalog');

const MAX_SERIES_DAYS = 366;
const localTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time of day like 18:00');
// every day from `from` to `to` at each of `times` (the cinema's time zone), or the starts themselves
const body = z
  .strictObject({
    movieId: z.uuid(),
    hallId: z.uuid(),
    prices: z.record(z.string(), z.number().int().min(0).max(1_000_000)).optional(),
    times: z.array(localTime).min(1).max(24).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    startsAt: z.array(showtimeStart).min(1).max(MAX_SERIES_SHOWTIMES).optional(),
  })
  .superRefine((b, ctx) => {
    const daily = b.times !== undefined || b.from !== undefined || b.to !== undefined;
    if (daily && b.startsAt) ctx.addIssue({ code: 'custom', path: ['startsAt'], message: 'give either times, from and to, or startsAt, not both' });
    else if (!daily && !b.startsAt) ctx.addIssue({ code: 'custom', path: ['times'], message: 'give times, from and to (every day at those times) or startsAt (a list of starts)' });
    else if (daily) for (const f of ['times', 'from', 'to'] as const) if (b[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: `${f} is needed with ${['times', 'from', 'to'].filter((g) => g !== f).join(' and ')}` });
  });

export const handler = route({ access: 'admin', body }, async ({ body, correlationId }) => {
  let starts: string[];
  if (body.startsAt) starts = body.startsAt;
  else if (body.times && body.from && body.to) {
    const days = (Date.parse(body.to) - Date.parse(body.from)) / 86_400_000 + 1;
    if (days < 1) throw new RuleBroken(`to (${body.to}) is before from (${body.from})`);
    if (days > MAX_SERIES_DAYS) throw new RuleBroken(`A series spans at most ${MAX_SERIES_DAYS} days; ${body.from} to ${body.to} is ${days}`);
    starts = await seriesStarts(pool, { from: body.from, to: body.to, times: [...new Set(body.times)] }, catalogConfig.CINEMA_TIME_ZONE);
  } else throw new RuleBroken('give times, from and to, or startsAt'); // the schema made sure of it
  const distinct = new Set(starts.map((s) => Date.parse(s)));
  if (distinct.size < starts.length) throw new RuleBroken('The series names the same start more than once');
  if (starts.length > MAX_SERIES_SHOWTIMES) throw new RuleBroken(`A series schedules at most ${MAX_SERIES_SHOWTIMES} showtimes; this one would be ${starts.length}`);
  const showtimes = await scheduleSeries(pool, { movieId: body.movieId, hallId: body.hallId, prices: body.prices, starts }, {
    turnaroundMinutes: catalogConfig.HALL_TURNAROUND_MINUTES,
    currency: catalogConfig.CURRENCY,
    correlationId,
  });
  return created({ showtimes });
});
