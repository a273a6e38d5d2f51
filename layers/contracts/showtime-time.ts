// What a valid showtime time is, once for catalog and booking: catalog schedules only such a
// showtime, and booking takes showtime.scheduled with the same rule. (When the two disagreed,
// catalog accepted a showtime in year 9999 whose end no longer printed as an ISO date-time;
// booking dead-lettered its event, and its seats could never be held.)
import { z } from 'zod';

/** A showtime starts in this window: any cinema's calendar, with room for its end. */
export const SHOWTIME_STARTS = { earliest: '2000-01-01T00:00:00.000Z', latest: '2099-12-31T23:59:59.999Z' } as const;
/** Longer than any movie (600 minutes) and the hall's turnaround (240) together. */
export const SHOWTIME_LONGEST_HOURS = 24;

const earliest = Date.parse(SHOWTIME_STARTS.earliest);
const latest = Date.parse(SHOWTIME_STARTS.latest);

const dateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T19:30:00Z' });

/** A showtime's start as a client or an event writes it: a date-time with its offset, in the window. */
export const showtimeStart = dateTime.refine(
  (s) => {
    const t = Date.parse(s);
    return t >= earliest && t <= latest;
  },
  { message: `must be between ${SHOWTIME_STARTS.earliest.slice(0, 10)} and ${SHOWTIME_STARTS.latest.slice(0, 10)}` },
);

/** Why a showtime from `startsAt` to `endsAt` is not one, or undefined when it is. */
export function showtimeSpanProblem(startsAt: string, endsAt: string): string | undefined {
  const start = showtimeStart.safeParse(startsAt);
  if (!start.success) return `startsAt ${start.error.issues[0].message}`;
  if (!dateTime.safeParse(endsAt).success) return 'endsAt must be an ISO 8601 date-time with a time zone';
  const length = Date.parse(endsAt) - Date.parse(startsAt);
  if (length <= 0) return 'endsAt must be after startsAt';
  if (length > SHOWTIME_LONGEST_HOURS * 3_600_000) return `a showtime lasts at most ${SHOWTIME_LONGEST_HOURS} hours`;
  return undefined;
}
