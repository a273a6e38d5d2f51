// Dates as a customer reads them. Formatting only: times and amounts are the server's.
export const when = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
export const timeOf = (iso: string) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
export const dayName = (day: string) => new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
/** The next `n` days from today, as YYYY-MM-DD. */
export function nextDays(n: number, from = new Date()): string[] {
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(from.getFullYear(), from.getMonth(), from.getDate() + i));
    return d.toISOString().slice(0, 10);
  });
}
/** A booking reference people can read out: the first eight characters of its id. */
export const reference = (id: string) => id.slice(0, 8).toUpperCase();
