// Halls and their seat layouts.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Conflict, NotFound } from '../../layers/core/errors';
import { PgCode, pgCode, withTransaction, type Queryable } from '../../layers/core/db';
import { liveShowtime } from './movies';
import { seatsOf, type HallFocalPoint, type LayoutInput, type Seat } from './layout';

export interface Hall {
  id: string;
  name: string;
  categories: Record<string, number>;
  seatCount: number;
  /** best-available's focal point; null: the centre of the screen row */
  focalPoint: HallFocalPoint | null;
  /** when an operator archived it (out of the listings, no new showtimes); null while in use */
  archivedAt: string | null;
}

const toHall = (r: any): Hall => ({ id: r.id, name: r.name, categories: r.categories, seatCount: r.seat_count, focalPoint: r.focal_point, archivedAt: r.archived_at?.toISOString() ?? null });

export async function createHall(pool: pg.Pool, name: string, layout: LayoutInput): Promise<Hall> {
  const id = randomUUID();
  const seats = seatsOf(layout);
  try {
    await withTransaction(pool, async (tx) => {
      await tx.query('INSERT INTO halls (id, name, categories, focal_point) VALUES ($1, $2, $3, $4)', [id, name, layout.categories, layout.focalPoint ?? null]);
      await tx.query(
        `INSERT INTO hall_seats (hall_id, seat_id, row_label, row_index, number, position, category, accessible)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::bool[])`,
        [
          id,
          seats.map((s) => s.seatId),
          seats.map((s) => s.rowLabel),
          seats.map((s) => s.rowIndex),
          seats.map((s) => s.number),
          seats.map((s) => s.position),
          seats.map((s) => s.category),
          seats.map((s) => s.accessible),
        ],
      );
    });
  } catch (err) {
    if (pgCode(err) === PgCode.uniqueViolation) throw new Conflict(`A hall named "${name}" already exists`);
    throw err;
  }
  return { id, name, categories: layout.categories, seatCount: seats.length, focalPoint: layout.focalPoint ?? null, archivedAt: null };
}

export async function hallSeats(db: Queryable, hallId: string): Promise<Seat[]> {
  const { rows } = await db.query(
    'SELECT seat_id, row_label, row_index, number, position, category, accessible FROM hall_seats WHERE hall_id = $1 ORDER BY row_index, position',
    [hallId],
  );
  return rows.map((r) => ({ seatId: r.seat_id, rowLabel: r.row_label, rowIndex: r.row_index, number: r.number, position: r.position, category: r.category, accessible: r.accessible }));
}

export async function getHall(db: Queryable, id: string): Promise<Hall> {
  const { rows } = await db.query('SELECT h.*, (SELECT count(*) FROM hall_seats s WHERE s.hall_id = h.id) AS seat_count FROM halls h WHERE id = $1', [id]);
  if (!rows[0]) throw new NotFound('Hall');
  return toHall(rows[0]);
}

export async function listHalls(db: Queryable): Promise<Hall[]> {
  // archived halls are history, not where showtimes can go
  const { rows } = await db.query('SELECT h.*, (SELECT count(*) FROM hall_seats s WHERE s.hall_id = h.id) AS seat_count FROM halls h WHERE h.archived_at IS NULL ORDER BY name');
  return rows.map(toHall);
}

/** Archives a hall whose showtimes are all cancelled or over, like archiveMovie. */
export async function archiveHall(pool: pg.Pool, id: string): Promise<Hall> {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query('SELECT archived_at FROM halls WHERE id = $1 FOR UPDATE', [id]);
    if (!rows[0]) throw new NotFound('Hall');
    if (rows[0].archived_at) return;
    const live = await liveShowtime(tx, 'hall_id', id);
    if (live) throw new Conflict(`The hall still has a showtime to come: ${live.id}, ${live.movieTitle} at ${live.startsAt}; cancel it first`, { showtime: live });
    await tx.query('UPDATE halls SET archived_at = now(), updated_at = now() WHERE id = $1', [id]);
  });
  return getHall(pool, id);
}

export async function deleteHall(db: Queryable, id: string): Promise<void> {
  try {
    const { rowCount } = await db.query('DELETE FROM halls WHERE id = $1', [id]);
    if (!rowCount) throw new NotFound('Hall');
  } catch (err) {
    if (pgCode(err) === PgCode.foreignKeyViolation) throw new Conflict('The hall has showtimes; it cannot be removed');
    throw err;
  }
}
