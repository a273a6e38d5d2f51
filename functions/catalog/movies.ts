// Movies: what the cinema shows. Operators write them; anyone can browse.
import { randomUUID } from 'node:crypto';
import { Conflict, NotFound } from '../../layers/core/errors';
import { PgCode, pgCode, type Queryable } from '../../layers/core/db';

export interface Movie {
  id: string;
  title: string;
  description: string;
  genres: string[];
  durationMinutes: number;
  rating: string | null;
  releaseDate: string;
  posterUrl: string | null;
}

export type MovieInput = Omit<Movie, 'id'>;

const columns = `id, title, description, genres, duration_minutes, rating, to_char(release_date, 'YYYY-MM-DD') AS release_date, poster_url`;
export const toMovie = (r: any): Movie => ({
  id: r.id,
  title: r.title,
  description: r.description,
  genres: r.genres,
  durationMinutes: r.duration_minutes,
  rating: r.rating,
  releaseDate: r.release_date,
  posterUrl: r.poster_url,
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
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => `$${args.push(v)}`;
  if (f.search) where.push(`(title ILIKE ${arg(likePattern(f.search))} OR description ILIKE ${arg(likePattern(f.search))})`);
  if (f.genre) where.push(`${arg(f.genre)} = ANY(genres)`);
  if (f.upcoming) where.push(`release_date > (now() AT TIME ZONE ${arg(timeZone)})::date`);
  if (f.date) {
    where.push(`EXISTS (SELECT 1 FROM showtimes s WHERE s.movie_id = movies.id AND s.status = 'scheduled'
      AND (s.starts_at AT TIME ZONE ${arg(timeZone)})::date = ${arg(f.date)}::date)`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const order = f.upcoming ? 'release_date ASC, title ASC, id' : 'release_date DESC, title ASC, id';
  const total = (await db.query(`SELECT count(*) AS n FROM movies ${clause}`, args)).rows[0].n;
  const { rows } = await db.query(
    `SELECT ${columns} FROM movies ${clause} ORDER BY ${order} LIMIT ${arg(f.pageSize)} OFFSET ${arg((f.page - 1) * f.pageSize)}`,
    args,
  );
  return { items: rows.map(toMovie), page: f.page, pageSize: f.pageSize, total };
}
