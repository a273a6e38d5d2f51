// What the operator's report routes share: the range of days they are asked for.
import { z } from 'zod';
import { InvalidInput } from '../../layers/core/errors';
import type { ReportRange } from './reports';

const day = z.iso.date('must be a day, YYYY-MM-DD');
export const reportQuery = z.strictObject({ from: day.optional(), to: day.optional() });
const MAX_DAYS = 366;

/** today in the cinema's time zone, as YYYY-MM-DD */
const today = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** from … to, inclusive; one day (`from`, or today) when `to` is left out. */
export function reportRange(q: z.output<typeof reportQuery>, timeZone: string): ReportRange {
  const from = q.from ?? q.to ?? today(timeZone);
  const to = q.to ?? from;
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1) throw new InvalidInput('to must not be before from');
  if (days > MAX_DAYS) throw new InvalidInput(`a report covers at most ${MAX_DAYS} days`);
  return { from, to, timeZone };
}
