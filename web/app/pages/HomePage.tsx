// Browse by day: the movies showing that day, each with its showtimes.
import { useEffect, useState } from 'preact/hooks';
import { api, type Movie, type Showtime } from '../../shared/api';
import { say } from '../errors';
import { dayName, nextDays, timeOf } from '../format';

export function HomePage({ day }: { day?: string }) {
  const days = nextDays(8);
  const chosen = day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : days[0];
  const [data, setData] = useState<{ movies: Movie[]; showtimes: Showtime[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setData(null);
    setError(null);
    Promise.all([api.movies(chosen), api.showtimes(chosen)]).then(
      ([movies, showtimes]) => setData({ movies: movies.items, showtimes: showtimes.items }),
      (err) => setError(say(err)),
    );
  }, [chosen]);

  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">What's on</h1>
      <nav aria-label="Days" class="days">
        {days.map((d) => (
          <a key={d} href={`#/?day=${d}`} class={d === chosen ? 'day current' : 'day'} aria-current={d === chosen ? 'date' : undefined}>
            {dayName(d)}
          </a>
        ))}
      </nav>
      {error && <p class="panel error-text">{error}</p>}
      {!data && !error && <p aria-busy="true">Loading the programme…</p>}
      {data && data.movies.length === 0 && <p class="panel">Nothing is showing on {dayName(chosen)}. Try another day.</p>}
      {data && (
        <ul class="movies">
          {data.movies.map((m) => (
            <li key={m.id} class="panel movie">
              <h2>{m.title}</h2>
              <p class="muted">
                {m.durationMinutes} min{m.rating ? ` · ${m.rating}` : ''}
                {m.genres.length ? ` · ${m.genres.join(', ')}` : ''}
              </p>
              <p>{m.description}</p>
              <ul class="times" aria-label={`Showtimes of ${m.title}`}>
                {data.showtimes
                  .filter((s) => s.movieId === m.id)
                  .map((s) => (
                    <li key={s.id}>
                      <a class="time" href={`#/showtimes/${s.id}`} aria-label={`${m.title} at ${timeOf(s.startsAt)} in ${s.hallName}`}>
                        {timeOf(s.startsAt)} <span>{s.hallName}</span>
                      </a>
                    </li>
                  ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
