// A customer's wishlist of movies.
import { NotFound } from '../../layers/core/errors';
import { PgCode, pgCode, type Queryable } from '../../layers/core/db';
import { toMovie, type Movie } from './movies';

export async function wishlist(db: Queryable, userId: string): Promise<(Movie & { addedAt: string })[]> {
  const { rows } = await db.query(
    `SELECT m.id, m.title, m.description, m.genres, m.duration_minutes, m.rating, to_char(m.release_date, 'YYYY-MM-DD') AS release_date, m.poster_url, w.added_at
       FROM wishlist w JOIN movies m ON m.id = w.movie_id WHERE w.user_id = $1 ORDER BY w.added_at DESC`,
    [userId],
  );
  return rows.map((r) => ({ ...toMovie(r), addedAt: r.added_at.toISOString() }));
}

/** Adding twice is harmless: the answer says whether this call added it. */
export async function addToWishlist(db: Queryable, userId: string, movieId: string): Promise<boolean> {
  try {
    const { rowCount } = await db.query('INSERT INTO wishlist (user_id, movie_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, movieId]);
    return rowCount === 1;
  } catch (err) {
    if (pgCode(err) === PgCode.foreignKeyViolation) throw new NotFound('Movie');
    throw err;
  }
}

export async function removeFromWishlist(db: Queryable, userId: string, movieId: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM wishlist WHERE user_id = $1 AND movie_id = $2', [userId, movieId]);
  if (!rowCount) throw new NotFound('Movie in your wishlist');
}
