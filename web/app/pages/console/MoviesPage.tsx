// The programme: movies created, edited and archived (archiving is refused while a showtime
// of the movie is to come; the server names it).
import { useEffect, useState } from 'preact/hooks';
import { api, consoleApi, type Movie } from '../../../shared/api';
import { failed, tell } from '../../state';

type Draft = { title: string; durationMinutes: string; releaseDate: string; description: string; genres: string; rating: string };
const EMPTY: Draft = { title: '', durationMinutes: '', releaseDate: '', description: '', genres: '', rating: '' };
const toDraft = (m: Movie): Draft => ({ title: m.title, durationMinutes: String(m.durationMinutes), releaseDate: m.releaseDate, description: m.description, genres: m.genres.join(', '), rating: m.rating ?? '' });

export function MoviesPage() {
  const [movies, setMovies] = useState<Movie[] | null>(null);
  const [editing, setEditing] = useState<Movie | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const load = () => api.movies().then((p) => setMovies(p.items), failed);
  useEffect(() => void load(), []);

  const field = (name: keyof Draft) => ({
    value: draft[name],
    onInput: (e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value }),
  });
  const save = async (e: Event) => {
    e.preventDefault();
    const movie = {
      title: draft.title,
      durationMinutes: Number(draft.durationMinutes),
      releaseDate: draft.releaseDate,
      description: draft.description,
      genres: draft.genres.split(',').map((g) => g.trim()).filter(Boolean),
      rating: draft.rating.trim() || null,
      posterUrl: editing?.posterUrl ?? null,
    };
    try {
      if (editing) {
        await consoleApi.updateMovie(editing.id, movie);
        tell(`${movie.title} is saved.`);
      } else {
        await consoleApi.createMovie(movie);
        tell(`${movie.title} is in the programme.`);
      }
      setEditing(null);
      setDraft(EMPTY);
      await load();
    } catch (err) {
      failed(err);
    }
  };
  const archive = async (m: Movie) => {
    try {
      await consoleApi.archiveMovie(m.id);
      tell(`${m.title} is archived: out of the programme, its history kept.`);
      await load();
    } catch (err) {
      failed(err);
    }
  };

  return (
    <section aria-labelledby="movies-title">
      <h1 id="movies-title">Movies</h1>
      <form class="panel form" onSubmit={save} aria-labelledby="movie-form-title">
        <h2 id="movie-form-title">{editing ? `Edit ${editing.title}` : 'New movie'}</h2>
        <label>
          Title
          <input required {...field('title')} />
        </label>
        <label>
          Length in minutes
          <input required type="number" min={1} max={600} {...field('durationMinutes')} />
        </label>
        <label>
          Release date
          <input required type="date" {...field('releaseDate')} />
        </label>
        <label>
          Genres (comma-separated)
          <input {...field('genres')} />
        </label>
        <label>
          Rating
          <input {...field('rating')} />
        </label>
        <label>
          Description
          <textarea rows={3} {...field('description')} />
        </label>
        <div class="actions">
          <button type="submit">{editing ? 'Save movie' : 'Add movie'}</button>
          {editing && (
            <button type="button" class="secondary" onClick={() => (setEditing(null), setDraft(EMPTY))}>
              Stop editing
            </button>
          )}
        </div>
      </form>
      {!movies && <p aria-busy="true">Loading the programme…</p>}
      {movies && (
        <table class="lines">
          <caption>The programme</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Length</th>
              <th scope="col">Released</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {movies.map((m) => (
              <tr key={m.id}>
                <td>{m.title}</td>
                <td>{m.durationMinutes} min</td>
                <td>{m.releaseDate}</td>
                <td class="actions">
                  <button type="button" class="secondary" aria-label={`Edit ${m.title}`} onClick={() => (setEditing(m), setDraft(toDraft(m)))}>
                    Edit
                  </button>
                  <button type="button" class="danger" aria-label={`Archive ${m.title}`} onClick={() => archive(m)}>
                    Archive
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
