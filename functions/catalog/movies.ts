// Movies: what the cinema shows. Operators write them; anyone can browse.
import { randomUUID } from 'node:crypto';
import { Conflict, NotFound } from '../../layers/core/errors';
import { PgCode, pgCode, withTransaction, type Queryable } from '../../layers/core/db';
import type pg from 'pg';
import { onLocalDate } from './local-date';

export interface Movie {
  id: string;
  title: string;
  description: string;
  genres: string[];
  durationMinutes: number;
  rating: string | null;
  releaseDate: string;
  posterUrl: string | null;
  /** when an operator archived it (out of the listings, no new showtimes); null while in use */
  archivedAt: string | null;
}

export type MovieInput = Omit<Movie, 'id' | 'archivedAt'>;

const columns = `id, title, description, genres, duration_minutes, rating, to_char(release_date, 'YYYY-MM-DD') AS release_date, poster_url, archived_at`;
export const toMovie = (r: any): Movie => ({
  id: r.id,
  title: r.title,
  description: r.description,
  genres: r.genres,
  durationMinutes: r.duration_minutes,
  rating: r.rating,
  releaseDate: r.release_date,
  posterUrl: r.poster_url,
  archivedAt: r.archived_at?.toISOString() ?? null,
});

export async function createMovie(db: Queryable, m: MovieInput): Promise<Movie> {
  const { rows } = await db.query(
    `INSERT INTO movies (id, title, description, genres, duration_minutes, rating, release_date, poster_url)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${columns}`,
    [randomUUID(), m.title, m.description, [...new Set(m.genres)], m.durationMinutes, m.rating, m.releaseDate, m.posterUrl],
  );
  return toMovie(rows[0]);
}

export async function updateMovie(db: Queryable, id: string, changes: Partial<MovieInput>): Promise<Movie> {
  const current = await getMovie(db, id);
  const next = { ...current, ...changes };
  const { rows } = await db.query(
    `UPDATE movies SET title = $2, description = $3, genres = $4, duration_minutes = $5, rating = $6, release_date = $7, poster_url = $8, updated_at = now()
      WHERE id = $1 RETURNING ${columns}`,
    [id, next.title, next.description, [...new Set(next.genres)], next.durationMinutes, next.rating, next.releaseDate, next.posterUrl],
  );
  return toMovie(rows[0]);
}

export async function deleteMovie(db: Queryable, id: string): Promise<void> {
  try {
    const { rowCount } = await db.query('DELETE FROM movies WHERE id = $1', [id]);
    if (!rowCount) throw new NotFound('Movie');
  } catch (err) {
    if (pgCode(err) === PgCode.foreignKeyViolation) throw new Conflict('The movie has showtimes; cancel or remove them first');
    throw err;
  }
}

/**
 * Archives a movie whose showtimes are all cancelled or over; one still to come (or running)
 * is named in the refusal. Its row stays: past showtimes and bookings keep naming it. The
 * movie's row lock orders this against a showtime being scheduled for it (which locks it too).
 */
export async function archiveMovie(pool: pg.Pool, id: string): Promise<Movie> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query(`SELECT ${columns} FROM movies WHERE id = $1 FOR UPDATE`, [id]);
    if (!rows[0]) throw new NotFound('Movie');
    if (rows[0].archived_at) return toMovie(rows[0]);
    const live = await liveShowtime(tx, 'movie_id', id);
    if (live) throw new Conflict(`The movie still has a showtime to come: ${live.id} in ${live.hallName} at ${live.startsAt}; cancel it first`, { showtime: live });
    const updated = await tx.query(`UPDATE movies SET archived_at = now(), updated_at = now() WHERE id = $1 RETURNING ${columns}`, [id]);
    return toMovie(updated.rows[0]);
  });
}

export interface LiveShowtime {
  id: string;
  movieTitle: string;
  hallName: string;
  startsAt: string;
  endsAt: string;
}

/** The earliest scheduled showtime of a movie or hall that is not over yet, if any. */
export async function liveShowtime(db: Queryable, column: 'movie_id' | 'hall_id', id: string): Promise<LiveShowtime | undefined> {
  const { rows } = await db.query(
    `SELECT s.id, m.title, h.name, s.starts_at, s.ends_at FROM showtimes s JOIN movies m ON m.id = s.movie_id JOIN halls h ON h.id = s.hall_id
      WHERE s.${column} = $1 AND s.status = 'scheduled' AND s.ends_at > now() ORDER BY s.starts_at LIMIT 1`,
    [id],
  );
  const r = rows[0];
  return r && { id: r.id, movieTitle: r.title, hallName: r.name, startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString() };
}

export async function getMovie(db: Queryable, id: string): Promise<Movie> {
  const { rows } = await db.query(`SELECT ${columns} FROM movies WHERE id = $1`, [id]);
  if (!rows[0]) throw new NotFound('Movie');
  return toMovie(rows[0]);
}

export interface MovieFilter {
  search?: string;
  genre?: string;
  /** movies with a scheduled showtime on this date, in the cinema's time zone */
  date?: string;
  upcoming?: boolean;
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

const likePattern = (s: string) => '%' + s.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

export async function listMovies(db: Queryable, f: MovieFilter, timeZone: string): Promise<Page<Movie>> {
  // archived movies are history, not programme
  const where: string[] = ['archived_at IS NULL'];
  const args: unknown[] = [];
  const arg = (v: unknown) => `$${args.push(v)}`;
  if (f.search) where.push(`(title ILIKE ${arg(likePattern(f.search))} OR description ILIKE ${arg(likePattern(f.search))})`);
  if (f.genre) where.push(`${arg(f.genre)} = ANY(genres)`);
  if (f.upcoming) where.push(`release_date > (now() AT TIME ZONE ${arg(timeZone)})::date`);
  if (f.date) {
    // the day's movie ids first (the index on a showtime's start), then each movie by its key:
    // as a join the planner hashed the day's few hundred ids against a scan of every movie
    where.push(`movies.id = ANY (ARRAY (SELECT DISTINCT s.movie_id FROM showtimes s WHERE s.status = 'scheduled'
      AND ${onLocalDate('s.starts_at', f.date, timeZone, arg)}))`);
  }
  const clause = `WHERE ${where.join(' AND ')}`;
  // qualified: a bare release_date is the output column, the formatted text, which no index orders
  const order = f.upcoming ? 'movies.release_date ASC, movies.title ASC, movies.id' : 'movies.release_date DESC, movies.title ASC, movies.id';
  const total = (await db.query(`SELECT count(*) AS n FROM movies ${clause}`, args)).rows[0].n;
  const { rows } = await db.query(
    `SELECT ${columns} FROM movies ${clause} ORDER BY ${order} LIMIT ${arg(f.pageSize)} OFFSET ${arg((f.page - 1) * f.pageSize)}`,
    args,
  );
  return { items: rows.map(toMovie), page: f.page, pageSize: f.pageSize, total };
}
