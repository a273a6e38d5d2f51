// Halls and their seat layouts.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Conflict, NotFound } from '../../layers/core/errors';
import { PgCode, pgCode, withTransaction, type Queryable } from '../../layers/core/db';
import { seatsOf, type HallFocalPoint, type LayoutInput, type Seat } from './layout';

export interface Hall {
  id: string;
  name: string;
  categories: Record<string, number>;
  seatCount: number;
  /** best-available's focal point; null: the centre of the screen row */
  focalPoint: HallFocalPoint | null;
}

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
  return { id, name, categories: layout.categories, seatCount: seats.length, focalPoint: layout.focalPoint ?? null };
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
  return { id: rows[0].id, name: rows[0].name, categories: rows[0].categories, seatCount: rows[0].seat_count, focalPoint: rows[0].focal_point };
}

export async function listHalls(db: Queryable): Promise<Hall[]> {
  const { rows } = await db.query('SELECT h.*, (SELECT count(*) FROM hall_seats s WHERE s.hall_id = h.id) AS seat_count FROM halls h ORDER BY name');
  return rows.map((r) => ({ id: r.id, name: r.name, categories: r.categories, seatCount: r.seat_count, focalPoint: r.focal_point }));
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
