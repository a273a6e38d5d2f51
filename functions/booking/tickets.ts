// Tickets: one per seat of a confirmed booking, with the booking's short reference for people
// and a signed code for machines. Cancelling a booking revokes its tickets; re-issuing one
// revokes its code and gives the seat a new ticket.
import { randomInt, randomUUID } from 'node:crypto';
import type pg from 'pg';
import QRCode from 'qrcode';
import { Conflict, NotFound } from '../../layers/core/errors';
import { withTransaction, type Queryable } from '../../layers/core/db';
import type { AccessClaims } from '../../layers/core/jwt';
import { issueTicketCode } from '../../layers/contracts/ticket-code';
import type { TicketKeys } from './ticket-keys';
import type { TicketPolicy } from './config';

type Caller = Pick<AccessClaims, 'userId' | 'role'>;

// Crockford's base32: no I, L, O or U, so a reference read aloud or typed is not mistaken
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** "K7Q-4MX": 30 random bits, a billion references, checked unique by the database. */
export function newReference(): string {
  let r = '';
  for (let i = 0; i < 6; i++) r += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `${r.slice(0, 3)}-${r.slice(3)}`;
}

/** What a person types for a reference: case, the dash, and the letters read as digits forgiven. */
export function normalizeReference(text: string): string | undefined {
  const t = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{6}$/.test(t)) return undefined;
  return `${t.slice(0, 3)}-${t.slice(3)}`;
}

export interface Ticket {
  id: string;
  bookingId: string;
  reference: string;
  showtimeId: string;
  seat: string;
  code: string;
  keyId: number;
  validFrom: string;
  validUntil: string;
  status: 'valid' | 'revoked';
  issuedAt: string;
  revokedAt: string | null;
  revokeReason: string | null;
  replaces: string | null;
}

const toTicket = (r: any): Ticket => ({
  id: r.id,
  bookingId: r.booking_id,
  reference: r.reference,
  showtimeId: r.showtime_id,
  seat: r.seat_id,
  code: r.code,
  keyId: r.key_id,
  validFrom: r.valid_from.toISOString(),
  validUntil: r.valid_until.toISOString(),
  status: r.status,
  issuedAt: r.issued_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
  revokeReason: r.revoke_reason ?? null,
  replaces: r.replaces ?? null,
});

const window = (startsAt: Date, policy: TicketPolicy) => ({
  validFrom: Math.floor(startsAt.getTime() / 1000) - policy.opensMinutes * 60,
  validUntil: Math.floor(startsAt.getTime() / 1000) + policy.validAfterStartMinutes * 60,
});

async function insertTicket(tx: Queryable, keys: TicketKeys, policy: TicketPolicy, b: { id: string; showtime_id: string; starts_at: Date }, seat: string, replaces: string | null) {
  const id = randomUUID();
  const w = window(b.starts_at, policy);
  const code = issueTicketCode({ keyId: keys.signing.keyId, ticketId: id, showtimeId: b.showtime_id, bookingId: b.id, seat, ...w }, keys.signing.secretKey);
  await tx.query(
    `INSERT INTO tickets (id, booking_id, showtime_id, seat_id, key_id, code, valid_from, valid_until, replaces)
     VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7), to_timestamp($8), $9)`,
    [id, b.id, b.showtime_id, seat, keys.signing.keyId, code, w.validFrom, w.validUntil, replaces],
  );
  return { ticketId: id, seat, code };
}

/** A booking just confirmed: its reference and one ticket per seat, in the booking's transaction. */
export async function issueTickets(tx: pg.PoolClient, keys: TicketKeys, policy: TicketPolicy, bookingId: string) {
  const b = (await tx.query(`SELECT b.id, b.showtime_id, b.seats, s.starts_at FROM bookings b JOIN showtimes s ON s.id = b.showtime_id WHERE b.id = $1`, [bookingId])).rows[0];
  let reference = '';
  // a clash of references is one in a billion a booking: try again under a savepoint
  for (let attempt = 0; ; attempt++) {
    reference = newReference();
    await tx.query('SAVEPOINT reference');
    try {
      await tx.query('UPDATE bookings SET reference = $2 WHERE id = $1', [bookingId, reference]);
      break;
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT reference');
      if ((err as { code?: string }).code !== '23505' || attempt > 5) throw err;
    }
  }
  const tickets = [];
  for (const seat of b.seats as string[]) tickets.push(await insertTicket(tx, keys, policy, b, seat, null));
  return { reference, tickets };
}

/** Every valid ticket of a booking is revoked (the booking was cancelled). */
export async function revokeBookingTickets(tx: Queryable, bookingId: string, reason: string): Promise<number> {
  const r = await tx.query(`UPDATE tickets SET status = 'revoked', revoked_at = now(), revoke_reason = $2 WHERE booking_id = $1 AND status = 'valid'`, [bookingId, reason]);
  return r.rowCount ?? 0;
}

const selectTickets = `SELECT t.*, b.reference FROM tickets t JOIN bookings b ON b.id = t.booking_id`;

async function ownedBooking(db: Queryable, caller: Caller, bookingId: string) {
  const { rows } = await db.query(`SELECT b.*, s.movie_title, s.hall_name, s.starts_at FROM bookings b JOIN showtimes s ON s.id = b.showtime_id WHERE b.id = $1`, [bookingId]);
  if (!rows[0] || (rows[0].user_id !== caller.userId && caller.role !== 'admin')) throw new NotFound('Booking');
  return rows[0];
}

export const ticketQrSvg = (code: string) => QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });

/** The booking's tickets as its owner (or an admin) sees them: the valid ones with their QR codes, and those revoked. */
export async function bookingTickets(db: Queryable, caller: Caller, bookingId: string) {
  const b = await ownedBooking(db, caller, bookingId);
  const { rows } = await db.query(`${selectTickets} WHERE t.booking_id = $1 ORDER BY t.status DESC, t.seat_id, t.issued_at`, [bookingId]);
  const tickets = await Promise.all(
    rows.map(async (r) => {
      const t = toTicket(r);
      return t.status === 'valid' ? { ...t, qrSvg: await ticketQrSvg(t.code) } : { ...t, code: null, qrSvg: null };
    }),
  );
  return {
    booking: { id: b.id, reference: b.reference, status: b.status, movieTitle: b.movie_title, hallName: b.hall_name, startsAt: b.starts_at.toISOString(), seats: b.seats },
    tickets,
  };
}

/** A new code for one seat (a ticket shown to someone else, a lost phone): the old code is revoked. */
export async function reissueTicket(pool: pg.Pool, keys: TicketKeys, policy: TicketPolicy, caller: Caller, bookingId: string, ticketId: string) {
  const fresh = await withTransaction(pool, async (tx) => {
    const b = (await tx.query(`SELECT b.*, s.starts_at FROM bookings b JOIN showtimes s ON s.id = b.showtime_id WHERE b.id = $1 FOR UPDATE OF b`, [bookingId])).rows[0];
    if (!b || (b.user_id !== caller.userId && caller.role !== 'admin')) throw new NotFound('Booking');
    if (b.status !== 'confirmed') throw new Conflict('The booking is cancelled: its tickets cannot be re-issued');
    const old = (await tx.query(`SELECT * FROM tickets WHERE id = $1 AND booking_id = $2 FOR UPDATE`, [ticketId, bookingId])).rows[0];
    if (!old) throw new NotFound('Ticket');
    if (old.status !== 'valid') throw new Conflict('This ticket was revoked already; re-issue the seat’s valid ticket');
    if ((await tx.query('SELECT 1 FROM admissions WHERE ticket_id = $1', [ticketId])).rowCount) throw new Conflict('This ticket has been admitted at the door already');
    await tx.query(`UPDATE tickets SET status = 'revoked', revoked_at = now(), revoke_reason = 're-issued' WHERE id = $1`, [ticketId]);
    return insertTicket(tx, keys, policy, b, old.seat_id, ticketId);
  });
  const { rows } = await pool.query(`${selectTickets} WHERE t.id = $1`, [fresh.ticketId]);
  const t = toTicket(rows[0]);
  return { ...t, qrSvg: await ticketQrSvg(t.code) };
}

/** Bookings confirmed before tickets existed get theirs when first asked for. */
export async function ensureTickets(pool: pg.Pool, keys: TicketKeys, policy: TicketPolicy, bookingId: string): Promise<void> {
  const r = await pool.query(`SELECT 1 FROM bookings WHERE id = $1 AND status = 'confirmed' AND reference IS NULL`, [bookingId]);
  if (!r.rowCount) return;
  await withTransaction(pool, async (tx) => {
    const locked = await tx.query(`SELECT 1 FROM bookings WHERE id = $1 AND reference IS NULL FOR UPDATE`, [bookingId]);
    if (locked.rowCount) await issueTickets(tx, keys, policy, bookingId);
  });
}
