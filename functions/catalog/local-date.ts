// A date of the cinema's time zone as a range of instants, from its midnight to the next
// (a day with a clock change is 23 or 25 hours). Given to SQL as two timestamps, known when
// the query is planned, so the index on a showtime's start serves it and the planner counts
// the rows it will find.

/** The zone's offset from UTC at instant `t`, in ms. */
function offsetAt(t: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(t)
      .map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(t / 1000) * 1000;
}

/** The instant a date (YYYY-MM-DD) begins in `timeZone`. */
export function midnightIn(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  let t = wall;
  for (let i = 0; i < 2; i++) t = wall - offsetAt(t, timeZone);
  return new Date(t);
}

/** `column` falls on `date` of `timeZone`; `arg` binds a value and returns its placeholder. */
export function onLocalDate(column: string, date: string, timeZone: string, arg: (v: unknown) => string): string {
  const [y, m, d] = date.split('-').map(Number);
  const following = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return `${column} >= ${arg(midnightIn(date, timeZone))} AND ${column} < ${arg(midnightIn(following, timeZone))}`;
}
