// The day's numbers: every showtime's seats (booking's) and money (payment's), the day's
// totals, the last two weeks by day, the movies over a range, the sales export and whether
// booking and payment agree.
import { useEffect, useState } from 'preact/hooks';
import { consoleApi, money, type MoviesReport, type Reconciliation, type ShowtimesReport } from '../../../shared/api';
import { say } from '../../errors';
import { dayName, timeOf } from '../../format';
import { failed, go } from '../../state';
import { BarChart } from './Charts';
import { addDays, today } from './days';

export function DashboardPage({ day }: { day?: string }) {
  const chosen = day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : today();
  const [report, setReport] = useState<ShowtimesReport | null>(null);
  const [fortnight, setFortnight] = useState<ShowtimesReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [range, setRange] = useState({ from: addDays(chosen, -6), to: addDays(chosen, 7) });
  const [movies, setMovies] = useState<MoviesReport | null>(null);
  const [reconciliation, setReconciliation] = useState<Reconciliation | null>(null);

  useEffect(() => {
    setReport(null);
    setError(null);
    consoleApi.showtimesReport(chosen).then(setReport, (err) => setError(say(err)));
    consoleApi.showtimesReport(addDays(chosen, -13), chosen).then(setFortnight, () => undefined);
    consoleApi.reconciliation().then(setReconciliation, () => undefined);
  }, [chosen]);
  useEffect(() => {
    consoleApi.moviesReport(range.from, range.to).then(setMovies, failed);
  }, [range.from, range.to]);

  const download = async () => {
    try {
      const { blob, name } = await consoleApi.salesCsv(chosen);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (err) {
      failed(err);
    }
  };

  const c = report?.currency ?? 'EUR';
  const t = report?.totals;
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">The day's numbers</h1>
      <form class="form inline" onSubmit={(e) => e.preventDefault()}>
        <label>
          Day
          <input type="date" value={chosen} onChange={(e) => go(`#/console?day=${(e.target as HTMLInputElement).value}`)} />
        </label>
        <button type="button" class="secondary" onClick={download}>
          Download sales (CSV)
        </button>
      </form>
      {error && <p class="panel error-text">{error}</p>}
      {!report && !error && <p aria-busy="true">Counting…</p>}
      {report && t && (
        <>
          <h2>{dayName(chosen)}</h2>
          <dl class="tiles" aria-label="The day's totals">
            <Tile name="Showtimes" value={String(t.showtimes)} />
            <Tile name="Capacity" value={String(t.capacity)} />
            <Tile name="Sold" value={String(t.sold)} />
            <Tile name="Held" value={String(t.held)} />
            <Tile name="Free" value={String(t.free)} />
            <Tile name="Blocked" value={String(t.blocked)} />
            <Tile name="Occupancy" value={`${t.occupancy}%`} />
            <Tile name="Gross revenue" value={money(t.gross, c)} />
            <Tile name="Refunds" value={money(t.refunds, c)} />
            <Tile name="Net revenue" value={money(t.net, c)} />
            <Tile name="Checked in" value={String(t.checkedIn)} />
          </dl>
          <div class="charts">
            <BarChart title="Occupancy by showtime" max={100} bars={report.showtimes.map((s) => ({ label: `${timeOf(s.startsAt)} ${s.movieTitle}`, value: s.occupancy, shown: `${s.occupancy}%` }))} />
            <BarChart
              title="Revenue by showtime"
              overlayName="refunded"
              bars={report.showtimes.map((s) => ({ label: `${timeOf(s.startsAt)} ${s.movieTitle}`, value: s.gross, overlay: s.refunds, shown: money(s.net, c) }))}
            />
          </div>
          <div class="table-scroll" role="region" aria-label="The showtimes table (scrolls sideways)" tabIndex={0}>
            <table class="lines figures">
              <caption>Showtimes of {dayName(chosen)}</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Movie</th>
                  <th scope="col">Hall</th>
                  {['Capacity', 'Sold', 'Held', 'Free', 'Blocked', 'Occupancy', 'Gross', 'Refunds', 'Net', 'Checked in'].map((h) => (
                    <th scope="col" class="num" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.showtimes.map((s) => (
                  <tr key={s.showtimeId} data-showtime={s.showtimeId}>
                    <td>{timeOf(s.startsAt)}</td>
                    <td>
                      {s.movieTitle}
                      {s.status === 'cancelled' && <span class="badge cancelled"> cancelled</span>}
                    </td>
                    <td>{s.hallName}</td>
                    <td class="num">{s.capacity}</td>
                    <td class="num">{s.sold}</td>
                    <td class="num">{s.held}</td>
                    <td class="num">{s.free}</td>
                    <td class="num">{s.blocked}</td>
                    <td class="num">{s.occupancy}%</td>
                    <td class="num">{money(s.gross, c)}</td>
                    <td class="num">{money(s.refunds, c)}</td>
                    <td class="num">{money(s.net, c)}</td>
                    <td class="num">{s.checkedIn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.showtimes.length === 0 && <p class="panel">No showtime on {dayName(chosen)}.</p>}
        </>
      )}
      {fortnight && (
        <BarChart
          title={`Net revenue by day, ${dayName(fortnight.from)} to ${dayName(fortnight.to)}`}
          bars={daysFrom(fortnight.from, fortnight.to).map((d) => {
            const f = fortnight.days.find((x) => x.day === d);
            return { label: dayName(d), value: f?.net ?? 0, shown: f ? `${money(f.net, c)} · ${f.occupancy}%` : 'no showtime' };
          })}
        />
      )}
      <h2>Movies</h2>
      <form class="form inline" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={range.from} onChange={(e) => setRange({ ...range, from: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          To
          <input type="date" value={range.to} onChange={(e) => setRange({ ...range, to: (e.target as HTMLInputElement).value })} />
        </label>
      </form>
      {movies && (
        <div class="table-scroll" role="region" aria-label="The movies table (scrolls sideways)" tabIndex={0}>
          <table class="lines figures">
            <caption>
              Movies from {dayName(movies.from)} to {dayName(movies.to)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Movie</th>
                {['Showtimes', 'Capacity', 'Sold', 'Occupancy', 'Gross', 'Refunds', 'Net'].map((h) => (
                  <th scope="col" class="num" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {movies.movies.map((m) => (
                <tr key={m.movieId}>
                  <td>{m.movieTitle}</td>
                  <td class="num">{m.showtimes}</td>
                  <td class="num">{m.capacity}</td>
                  <td class="num">{m.sold}</td>
                  <td class="num">{m.occupancy}%</td>
                  <td class="num">{money(m.gross, movies.currency ?? c)}</td>
                  <td class="num">{money(m.refunds, movies.currency ?? c)}</td>
                  <td class="num">{money(m.net, movies.currency ?? c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Booking and payment</h2>
      {reconciliation && (
        <div class={reconciliation.agree ? 'panel' : 'panel error-text'} role="status">
          {reconciliation.agree ? (
            <p>
              Booking and payment agree: {plural(reconciliation.bookings, 'booking')} and {plural(reconciliation.payments, 'payment')} checked
              {reconciliation.settling.length ? `; ${reconciliation.settling.length} still settling` : ''}.
            </p>
          ) : (
            <>
              <p>Booking and payment disagree in {reconciliation.disagreements.length} places:</p>
              <ul>
                {reconciliation.disagreements.map((d) => (
                  <li key={`${d.kind}-${d.paymentId}`}>{d.message}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to && days.length < 400; d = addDays(d, 1)) days.push(d);
  return days;
}

function Tile({ name, value }: { name: string; value: string }) {
  return (
    <div class="tile">
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}
