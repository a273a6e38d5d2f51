// A showtime's availability, read from the arbiter itself (seat_claims), never from the
// catalog's lagging copy. Only the seats that are not free are listed; every other seat of
// the layout is available. The version comes from showtime_claim_versions, which every
// statement that changes a claim bumps (a trigger inside that statement), plus the
// earliest live hold's expiry, so a hold that runs out changes the version with no write.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { Conflict, NotFound, RuleBroken } from '../../layers/core/errors';
import { withTransaction, type Queryable } from '../../layers/core/db';
import { lockShowtimeSeats } from './holds';

export type ClaimStatus = 'held' | 'mine' | 'sold' | 'blocked';

export interface Availability {
  showtimeId: string;
  version: string;
  /** the showtime can still be held: scheduled and not started */
  bookable: boolean;
  asOf: string;
  held: string[];
  sold: string[];
  blocked: string[];
  /** the caller's live holds, with when each runs out */
  mine: { seatId: string; expiresAt: string }[];
}

interface VersionRow {
  bookable: boolean;
  counter: number;
  live_expiry: Date | null;
}

/** The parts every version is made of, read in the same statement as what they describe. */
const versionColumns = `s.status = 'scheduled' AND s.starts_at > now() AS bookable,
  coalesce(v.counter, 0) AS counter,
  -- the stored expiry is exact until it passes; after that (no statement since) the next one is an index probe away
  CASE WHEN v.next_expiry IS NULL OR v.next_expiry > now() THEN v.next_expiry
       ELSE (SELECT min(l.expires_at) FROM seat_claims l WHERE l.showtime_id = s.id AND l.status = 'held' AND l.expires_at > now()) END AS live_expiry`;
const versionFrom = `FROM showtimes s LEFT JOIN showtime_claim_versions v ON v.showtime_id = s.id WHERE s.id = $1`;

/**
 * The version a caller sees: the claim counter, the earliest live expiry (it moves on each
 * time a hold runs out), whether the showtime is bookable, and whose view it is (a signed-in
 * caller's map has `mine` in it, so it is a different representation).
 */
export function versionOf(row: VersionRow, userId: string | undefined): string {
  const viewer = userId ? createHash('sha256').update(userId).digest('hex').slice(0, 12) : 'anyone';
  return `${row.counter}.${row.live_expiry ? new Date(row.live_expiry).getTime() : 0}.${row.bookable ? 1 : 0}.${viewer}`;
}

/** The current version only: one indexed read of two small rows. Null for an unknown showtime. */
export async function availabilityVersion(db: Queryable, showtimeId: string, userId: string | undefined): Promise<string | null> {
  const { rows } = await db.query({ name: 'availability-version', text: `SELECT ${versionColumns} ${versionFrom}`, values: [showtimeId] });
  return rows[0] ? versionOf(rows[0], userId) : null;
}

/** The whole availability, with its version, in one statement: one snapshot, a state that existed. */
export async function readAvailability(db: Queryable, showtimeId: string, userId: string | undefined): Promise<Availability> {
  const { rows } = await db.query({
    name: 'availability',
    text: `SELECT ${versionColumns}, now() AS as_of,
       (SELECT coalesce(json_agg(json_build_array(c.seat_id,
                 CASE WHEN c.status <> 'held' THEN c.status WHEN c.user_id = $2::uuid THEN 'mine' ELSE 'held' END,
                 CASE WHEN c.status = 'held' AND c.user_id = $2::uuid THEN c.expires_at END) ORDER BY c.seat_id), '[]')
          FROM seat_claims c WHERE c.showtime_id = s.id AND (c.status <> 'held' OR c.expires_at > now())) AS claims
       ${versionFrom}`,
    values: [showtimeId, userId ?? null],
  });
  const row = rows[0];
  if (!row) throw new NotFound('Showtime');
  const out: Availability = { showtimeId, version: versionOf(row, userId), bookable: row.bookable, asOf: row.as_of.toISOString(), held: [], sold: [], blocked: [], mine: [] };
  for (const [seatId, status, expiresAt] of row.claims as [string, ClaimStatus, string | null][]) {
    if (status === 'mine') out.mine.push({ seatId, expiresAt: new Date(expiresAt!).toISOString() });
    else out[status].push(seatId);
  }
  return out;
}

/**
 * Makes `seatIds` the showtime's blocked seats, all or nothing: the listed seats become
 * blocked (free ones, expired holds, or already blocked), every other blocked seat is free
 * again. A seat someone holds or bought is not taken from them: the answer names it.
 */
export async function setBlockedSeats(pool: pg.Pool, operatorId: string, showtimeId: string, seatIds: string[]): Promise<{ showtimeId: string; blocked: string[] }> {
  const wanted = [...new Set(seatIds)].sort();
  return withTransaction(pool, async (tx) => {
    // blocking takes seats too: it waits for best-available choices in progress (holds.ts)
    await lockShowtimeSeats(tx, showtimeId);
    const showtime = await tx.query('SELECT 1 FROM showtimes WHERE id = $1', [showtimeId]);
    if (!showtime.rowCount) throw new NotFound('Showtime');
    const known = (await tx.query('SELECT seat_id FROM showtime_seats WHERE showtime_id = $1 AND seat_id = ANY($2::text[])', [showtimeId, wanted])).rows.map((r) => r.seat_id);
    const unknown = wanted.filter((s) => !known.includes(s));
    if (unknown.length) throw new RuleBroken(`No such seat in this showtime: ${unknown.join(', ')}`, { unknownSeats: unknown });
    await tx.query(`DELETE FROM seat_claims WHERE showtime_id = $1 AND status = 'blocked' AND NOT (seat_id = ANY($2::text[]))`, [showtimeId, wanted]);
    const { rows } = await tx.query(
      `INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, held_at, expires_at)
       SELECT $1, p.seat_id, $3, 'blocked', p.price, now(), NULL FROM showtime_seats p WHERE p.showtime_id = $1 AND p.seat_id = ANY($2::text[]) ORDER BY p.seat_id
       ON CONFLICT (showtime_id, seat_id) DO UPDATE SET status = 'blocked', user_id = EXCLUDED.user_id, held_at = now(), expires_at = NULL
       WHERE seat_claims.status = 'blocked' OR (seat_claims.status = 'held' AND seat_claims.expires_at <= now())
       RETURNING seat_id`,
      [showtimeId, wanted, operatorId],
    );
    const blocked = rows.map((r) => r.seat_id as string).sort();
    const taken = wanted.filter((s) => !blocked.includes(s));
    if (taken.length) throw new Conflict(`Seat${taken.length > 1 ? 's' : ''} ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} held or sold and cannot be blocked`, { takenSeats: taken });
    return { showtimeId, blocked };
  });
}
