// Showtimes: one, or a series (every day from … to … at these times, all or nothing); every
// refusal shown as the server gave it, a clash naming the showtime it clashes with. A
// cancellation says how many bookings it cancelled and refunded. Blocked (house) seats per showtime.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, consoleApi, money, type Availability, type Clash, type Hall, type Movie, type SeatLayout, type Showtime } from '../../../shared/api';
import { SeatMap, statusesOf, type SeatStatus } from '../../components/SeatMap';
import { say } from '../../errors';
import { dayName, timeOf, when } from '../../format';
import { failed, go, notice, tell } from '../../state';
import { addDays, today } from './days';

interface Refusal {
  message: string;
  clashes: Clash[];
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function ShowtimesPage({ day }: { day?: string }) {
  const chosen = day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : today();
  const [movies, setMovies] = useState<Movie[]>([]);
  const [halls, setHalls] = useState<Hall[]>([]);
  const [showtimes, setShowtimes] = useState<Showtime[] | null>(null);
  const [form, setForm] = useState({ movieId: '', hallId: '', kind: 'one', startsAt: '', from: chosen, to: addDays(chosen, 13), times: '18:00, 21:00' });
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<string | null>(null);

  const load = () => api.showtimes(chosen).then((p) => setShowtimes(p.items), failed);
  useEffect(() => {
    api.movies().then((p) => setMovies(p.items), failed);
    consoleApi.halls().then((h) => setHalls(h.items), failed);
  }, []);
  useEffect(() => void load(), [chosen]);

  const set = (name: keyof typeof form) => (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value });

  const schedule = async (e: Event) => {
    e.preventDefault();
    setRefusal(null);
    setOutcome(null);
    notice.value = null;
    try {
      if (form.kind === 'one') {
        const { showtime } = await consoleApi.schedule(form.movieId, form.hallId, new Date(form.startsAt).toISOString());
        setOutcome(`Scheduled ${showtime.movieTitle} in ${showtime.hallName} on ${when(showtime.startsAt)}.`);
        go(`#/console/showtimes?day=${form.startsAt.slice(0, 10)}`);
      } else {
        const times = form.times.split(/[,\s]+/).filter(Boolean);
        const { showtimes: made } = await consoleApi.scheduleSeries({ movieId: form.movieId, hallId: form.hallId, from: form.from, to: form.to, times });
        setOutcome(`Scheduled ${made.length} showtimes, ${dayName(form.from)} to ${dayName(form.to)} at ${times.join(' and ')}.`);
        go(`#/console/showtimes?day=${form.from}`);
      }
    } catch (err) {
      setRefusal({ message: say(err), clashes: err instanceof ApiError && Array.isArray(err.details?.clashes) ? err.details.clashes : [] });
    }
  };

  const cancel = async (s: Showtime) => {
    setCancelling(s.id);
    setOutcome(null);
    try {
      const before = (await consoleApi.showtimeBookings(s.id, 'confirmed')).total;
      await consoleApi.cancelShowtime(s.id);
      // booking cancels (and so refunds) each booking as the cancellation reaches it
      let left = before;
      for (let i = 0; i < 40 && left > 0; i++) {
        await wait(500);
        left = (await consoleApi.showtimeBookings(s.id, 'confirmed')).total;
      }
      const cancelled = before - left;
      // and payment refunds each as booking's cancellation reaches it: its figures say how much
      const day = s.startsAt.slice(0, 10);
      const figuresOf = async () => (await consoleApi.showtimesReport(addDays(day, -1), addDays(day, 1))).showtimes.find((f) => f.showtimeId === s.id);
      let figures = await figuresOf();
      for (let i = 0; i < 40 && figures && figures.refunds < figures.gross; i++) {
        await wait(500);
        figures = await figuresOf();
      }
      const refunded = figures ? `${money(figures.refunds, figures.currency)} refunded${figures.refunds < figures.gross ? ` so far, of ${money(figures.gross, figures.currency)}` : ''}` : 'refunds on their way';
      setOutcome(
        `Cancelled ${s.movieTitle} at ${timeOf(s.startsAt)} in ${s.hallName}: ${cancelled} booking${cancelled === 1 ? '' : 's'} cancelled${left > 0 ? ` (${left} still being cancelled)` : ''}, ${refunded}.`,
      );
      await load();
    } catch (err) {
      failed(err);
    } finally {
      setCancelling(null);
    }
  };

  return (
    <section aria-labelledby="showtimes-title">
      <h1 id="showtimes-title">Showtimes</h1>
      <form class="panel form" onSubmit={schedule} aria-labelledby="schedule-title">
        <h2 id="schedule-title">Schedule</h2>
        <label>
          Movie
          <select required value={form.movieId} onChange={set('movieId')}>
            <option value="">Choose a movie</option>
            {movies.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Hall
          <select required value={form.hallId} onChange={set('hallId')}>
            <option value="">Choose a hall</option>
            {halls.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>How many</legend>
          <label>
            <input type="radio" name="kind" value="one" checked={form.kind === 'one'} onChange={set('kind')} /> One showtime
          </label>
          <label>
            <input type="radio" name="kind" value="series" checked={form.kind === 'series'} onChange={set('kind')} /> A series, every day
          </label>
        </fieldset>
        {form.kind === 'one' ? (
          <label>
            Starts at
            <input required type="datetime-local" value={form.startsAt} onInput={set('startsAt')} />
          </label>
        ) : (
          <>
            <label>
              First day
              <input required type="date" value={form.from} onInput={set('from')} />
            </label>
            <label>
              Last day
              <input required type="date" value={form.to} onInput={set('to')} />
            </label>
            <label>
              Times of day (comma-separated, the cinema's time)
              <input required value={form.times} onInput={set('times')} />
            </label>
          </>
        )}
        <div class="actions">
          <button type="submit">Schedule</button>
        </div>
      </form>
      {refusal && (
        <div class="panel error-text" role="alert" aria-labelledby="refusal-title">
          <h2 id="refusal-title">Not scheduled</h2>
          <p>{refusal.message}</p>
          {refusal.clashes.length > 0 && (
            <ul aria-label="Clashes">
              {refusal.clashes.map((c) => (
                <li key={`${c.slot.startsAt}-${c.showtime.id}`}>
                  {when(c.slot.startsAt)} clashes with “{c.showtime.movieTitle}” ({when(c.showtime.startsAt)} to {timeOf(c.showtime.endsAt)}, showtime {c.showtime.id.slice(0, 8)})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {outcome && (
        <p class="panel" role="status">
          {outcome}
        </p>
      )}
      <h2>On {dayName(chosen)}</h2>
      <form class="form inline" onSubmit={(e) => e.preventDefault()}>
        <label>
          Day
          <input type="date" value={chosen} onChange={(e) => go(`#/console/showtimes?day=${(e.target as HTMLInputElement).value}`)} />
        </label>
      </form>
      {!showtimes && <p aria-busy="true">Loading…</p>}
      {showtimes && showtimes.length === 0 && <p class="panel">No showtime on {dayName(chosen)}.</p>}
      {showtimes && showtimes.length > 0 && (
        <table class="lines">
          <caption>Showtimes on {dayName(chosen)}</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Movie</th>
              <th scope="col">Hall</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {showtimes.map((s) => (
              <tr key={s.id}>
                <td>
                  {timeOf(s.startsAt)}–{timeOf(s.endsAt)}
                </td>
                <td>{s.movieTitle}</td>
                <td>{s.hallName}</td>
                <td class="actions">
                  <a class="button secondary" href={`#/console/showtimes/${s.id}/blocked-seats`} aria-label={`Block seats of ${s.movieTitle} at ${timeOf(s.startsAt)}`}>
                    Block seats
                  </a>
                  <button type="button" class="danger" disabled={cancelling === s.id} aria-label={`Cancel ${s.movieTitle} at ${timeOf(s.startsAt)} in ${s.hallName}`} onClick={() => cancel(s)}>
                    {cancelling === s.id ? 'Cancelling…' : 'Cancel'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** House or broken seats of one showtime: picked on the customer's own map, saved all at once. */
export function BlockedSeatsPage({ id }: { id: string }) {
  const [data, setData] = useState<{ showtime: Showtime; layout: SeatLayout } | null>(null);
  const [availability, setAvailability] = useState<Availability | null>(null);
  const [blocked, setBlocked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.layout(id).then(setData, (err) => setError(say(err)));
    api.availability(id).then((a) => {
      setAvailability(a ?? null);
      setBlocked(new Set(a?.blocked ?? []));
    }, failed);
  }, [id]);
  const statuses = useMemo(() => {
    const m = statusesOf(availability);
    for (const [seat, status] of m) if (status === 'blocked') m.delete(seat);
    for (const seat of blocked) m.set(seat, 'blocked' as SeatStatus);
    return m;
  }, [availability, blocked]);
  const toggle = (seat: string) => {
    const status = statusesOf(availability).get(seat);
    if (status === 'sold' || status === 'held' || status === 'mine') return;
    const next = new Set(blocked);
    if (next.has(seat)) next.delete(seat);
    else next.add(seat);
    setBlocked(next);
  };
  const save = async () => {
    try {
      const res = await consoleApi.setBlockedSeats(id, [...blocked].sort());
      setBlocked(new Set(res.blocked));
      tell(res.blocked.length ? `Blocked: ${res.blocked.join(', ')}.` : 'No seat is blocked.');
    } catch (err) {
      failed(err);
    }
  };
  return (
    <section aria-labelledby="blocked-title">
      <h1 id="blocked-title">Blocked seats</h1>
      {error && <p class="panel error-text">{error}</p>}
      {data && (
        <>
          <p>
            {data.showtime.movieTitle}, {when(data.showtime.startsAt)}, {data.showtime.hallName}. Pick the house or broken seats; sold and held seats cannot be blocked.
          </p>
          <SeatMap layout={data.layout} currency={data.showtime.currency} statuses={statuses} busy={new Set()} onPick={toggle} />
          <p>
            {blocked.size} blocked{blocked.size ? `: ${[...blocked].sort().join(', ')}` : ''} · prices {data.layout.categories.map((c) => `${c.name} ${money(c.price, data.showtime.currency)}`).join(', ')}
          </p>
          <div class="actions">
            <button type="button" onClick={save}>
              Save blocked seats
            </button>
            <a class="button secondary" href="#/console/showtimes">
              Back to showtimes
            </a>
          </div>
        </>
      )}
    </section>
  );
}
