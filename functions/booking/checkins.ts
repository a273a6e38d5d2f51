// The door: a scan becomes a verdict, once per scan id, and a ticket is admitted once,
// whatever the concurrency (the admissions table's primary key is the arbiter). Offline
// devices upload their journals later; a ticket two devices let in while offline cannot be
// prevented, so it is recorded as a conflict for the supervisor.
import type pg from 'pg';
import { withTransaction, type Queryable } from '../../layers/core/db';
import { checkTicketAtDoor, readTicketCode, type DoorVerdict } from '../../layers/contracts/ticket-code';
import { NotFound } from '../../layers/core/errors';
import type { TicketKeys } from './ticket-keys';
import { normalizeReference } from './tickets';
import { nativeCheck } from './ticket-verifier';

export interface Scan {
  code: string;
  deviceId: string;
  scanId: string;
  scannedAt: string;
  /** the device decided without the server, and uploads its journal now */
  offline?: boolean;
  /** what the device told the person at the door, if it decided offline */
  localVerdict?: DoorVerdict;
  /** the showtime the door admits to */
  showtimeId?: string;
}

export interface CheckinResult {
  scanId: string;
  verdict: DoorVerdict;
  reason: string;
  ticket?: { id: string; seat: string; showtimeId: string; bookingId: string; reference: string | null };
  /** for already-admitted: when and at which device it was let in */
  admitted?: { at: string; deviceId: string };
  /** an offline admission of a ticket another device had let in */
  conflict?: boolean;
  /** the scan id was uploaded before: this is what it got then */
  replayed?: boolean;
}

// "K7Q-4MX C5", "k7q4mx/c5": a booking's reference and a seat, as door staff type them
const TYPED = /^\s*([0-9A-Za-z]{3}-?[0-9A-Za-z]{3})\s*[\s/]\s*([A-Za-z]{1,3}[0-9]{1,3})\s*$/;

/** The code of the ticket a typed reference and seat name (its valid one, else the latest), or the text as given. */
async function codeFromTyped(db: Queryable, text: string): Promise<string> {
  const m = TYPED.exec(text);
  const reference = m && normalizeReference(m[1]!);
  if (!m || !reference) return text;
  const { rows } = await db.query(
    `SELECT t.code FROM tickets t JOIN bookings b ON b.id = t.booking_id WHERE b.reference = $1 AND t.seat_id = $2 ORDER BY t.status DESC, t.issued_at DESC LIMIT 1`,
    [reference, m[2]!.toUpperCase()],
  );
  return rows[0]?.code ?? text;
}

const storedResult = (r: any): CheckinResult => ({
  scanId: r.scan_id,
  verdict: r.verdict,
  reason: r.reason,
  ticket: r.ticket_id ? { id: r.ticket_id, seat: r.seat_id, showtimeId: r.t_showtime_id, bookingId: r.booking_id, reference: r.reference } : undefined,
  admitted: r.first_admitted_at ? { at: r.first_admitted_at.toISOString(), deviceId: r.first_device_id } : undefined,
  conflict: r.conflict || undefined,
  replayed: true,
});

async function storedScan(db: Queryable, scanId: string): Promise<CheckinResult | undefined> {
  const { rows } = await db.query(
    `SELECT s.*, t.showtime_id AS t_showtime_id, t.booking_id, b.reference,
            EXISTS (SELECT 1 FROM checkin_conflicts c WHERE c.scan_id = s.scan_id) AS conflict
       FROM checkin_scans s LEFT JOIN tickets t ON t.id = s.ticket_id LEFT JOIN bookings b ON b.id = t.booking_id
      WHERE s.scan_id = $1`,
    [scanId],
  );
  return rows[0] && storedResult(rows[0]);
}

/** One scan, online or from an offline journal. Never throws for what the code holds. */
export async function checkIn(pool: pg.Pool, keys: TicketKeys, scan: Scan, now = new Date()): Promise<CheckinResult> {
  const earlier = await storedScan(pool, scan.scanId);
  if (earlier) return earlier;
  const code = await codeFromTyped(pool, scan.code);
  // offline, the device judged at its own time; online, the server's clock is the door's
  const scannedAt = new Date(Math.min(Date.parse(scan.scannedAt), now.getTime() + 60_000));
  const at = scan.offline ? scannedAt : now;

  return withTransaction(pool, async (tx) => {
    // the scan id first: a second upload of it racing this one waits here, then replays
    const claimed = await tx.query(
      `INSERT INTO checkin_scans (scan_id, device_id, showtime_id, verdict, reason, scanned_at, offline) VALUES ($1, $2, $3, 'not-a-ticket', '', $4, $5)
       ON CONFLICT (scan_id) DO NOTHING`,
      [scan.scanId, scan.deviceId, scan.showtimeId ?? null, scannedAt, scan.offline ?? false],
    );
    if (!claimed.rowCount) return (await storedScan(tx, scan.scanId))!;

    const result = await judge(tx, keys, code, scan, at);
    await tx.query(
      `UPDATE checkin_scans SET verdict = $2, reason = $3, ticket_id = $4, seat_id = $5, showtime_id = coalesce(showtime_id, $6), first_admitted_at = $7, first_device_id = $8 WHERE scan_id = $1`,
      [scan.scanId, result.verdict, result.reason, result.ticket?.id ?? null, result.ticket?.seat ?? null, result.ticket?.showtimeId ?? null, result.admitted?.at ?? null, result.admitted?.deviceId ?? null],
    );
    return result;
  });
}

async function judge(tx: pg.PoolClient, keys: TicketKeys, code: string, scan: Scan, at: Date): Promise<CheckinResult> {
  const base = { scanId: scan.scanId };
  // the row the code names (unverified yet), so that one signature check decides with the database's revocation
  const read = readTicketCode(code);
  const row = read.ok ? (await tx.query(`SELECT t.*, b.reference FROM tickets t JOIN bookings b ON b.id = t.booking_id WHERE t.id = $1`, [read.claims.ticketId])).rows[0] : undefined;
  const check = checkTicketAtDoor(code, { keys: keys.published, showtimeId: scan.showtimeId, now: Math.floor(at.getTime() / 1000), isRevoked: () => row?.status === 'revoked', check: nativeCheck });
  if (check.verdict === 'not-a-ticket') return { ...base, verdict: 'not-a-ticket', reason: check.reason };
  // signed by our key, yet not one of ours: nothing to admit
  if (!row) return { ...base, verdict: 'not-a-ticket', reason: 'no ticket has this id' };
  const ticket = { id: row.id, seat: row.seat_id, showtimeId: row.showtime_id, bookingId: row.booking_id, reference: row.reference };
  if (check.verdict !== 'valid') return { ...base, verdict: check.verdict, reason: row.status === 'revoked' && row.revoke_reason ? `revoked: ${row.revoke_reason}` : check.reason, ticket };

  const admitted = await tx.query(
    `INSERT INTO admissions (ticket_id, showtime_id, scan_id, device_id, admitted_at, offline) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id) DO NOTHING`,
    [row.id, row.showtime_id, scan.scanId, scan.deviceId, at, scan.offline ?? false],
  );
  if (admitted.rowCount) return { ...base, verdict: 'admitted', reason: `seat ${row.seat_id}`, ticket };

  const first = (await tx.query('SELECT * FROM admissions WHERE ticket_id = $1', [row.id])).rows[0];
  const result: CheckinResult = {
    ...base,
    verdict: 'already-admitted',
    reason: `already admitted at ${first.admitted_at.toISOString()} by device ${first.device_id}`,
    ticket,
    admitted: { at: first.admitted_at.toISOString(), deviceId: first.device_id },
  };
  // An offline device that let the ticket in, though another device had: both let someone in.
  // (The same device's own repeat it refused itself, from its journal.)
  const letIn = scan.localVerdict === undefined || scan.localVerdict === 'admitted';
  if (scan.offline && letIn && first.device_id !== scan.deviceId) {
    const c = await tx.query(
      `INSERT INTO checkin_conflicts (ticket_id, device_id, showtime_id, scan_id, scanned_at, first_device_id, first_admitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [row.id, scan.deviceId, row.showtime_id, scan.scanId, at, first.device_id, first.admitted_at],
    );
    if (c.rowCount) result.conflict = true;
  }
  return result;
}

/** The door's counts and scans of one showtime, for door staff and the supervisor. */
export async function showtimeCheckins(db: Queryable, showtimeId: string) {
  if (!(await db.query('SELECT 1 FROM showtimes WHERE id = $1', [showtimeId])).rowCount) throw new NotFound('Showtime');
  const counts = (
    await db.query(
      `SELECT (SELECT count(*) FROM tickets WHERE showtime_id = $1 AND status = 'valid') AS tickets,
              (SELECT count(*) FROM admissions WHERE showtime_id = $1) AS admitted,
              (SELECT count(*) FROM checkin_scans WHERE showtime_id = $1) AS scans,
              (SELECT count(*) FROM checkin_scans WHERE showtime_id = $1 AND verdict <> 'admitted') AS refused,
              (SELECT count(*) FROM checkin_conflicts WHERE showtime_id = $1) AS conflicts`,
      [showtimeId],
    )
  ).rows[0];
  const scans = await db.query(
    `SELECT scan_id, device_id, ticket_id, seat_id, verdict, reason, scanned_at, received_at, offline FROM checkin_scans WHERE showtime_id = $1 ORDER BY received_at DESC, scan_id LIMIT 500`,
    [showtimeId],
  );
  const conflicts = await db.query(`SELECT c.*, t.seat_id FROM checkin_conflicts c JOIN tickets t ON t.id = c.ticket_id WHERE c.showtime_id = $1 ORDER BY c.scanned_at`, [showtimeId]);
  return {
    showtimeId,
    counts: { tickets: Number(counts.tickets), admitted: Number(counts.admitted), scans: Number(counts.scans), refused: Number(counts.refused), conflicts: Number(counts.conflicts) },
    scans: scans.rows.map((r) => ({
      scanId: r.scan_id,
      deviceId: r.device_id,
      ticketId: r.ticket_id,
      seat: r.seat_id,
      verdict: r.verdict,
      reason: r.reason,
      scannedAt: r.scanned_at.toISOString(),
      receivedAt: r.received_at.toISOString(),
      offline: r.offline,
    })),
    conflicts: conflicts.rows.map((r) => ({
      ticketId: r.ticket_id,
      seat: r.seat_id,
      deviceId: r.device_id,
      scanId: r.scan_id,
      scannedAt: r.scanned_at.toISOString(),
      firstDeviceId: r.first_device_id,
      firstAdmittedAt: r.first_admitted_at.toISOString(),
    })),
  };
}

/** What a door device needs to judge a showtime's tickets with no server: keys, tickets, revocations, admissions so far. */
export async function doorManifest(db: Queryable, keys: TicketKeys, showtimeId: string, now = new Date()) {
  const s = (await db.query('SELECT id, movie_title, hall_name, starts_at, status FROM showtimes WHERE id = $1', [showtimeId])).rows[0];
  if (!s) throw new NotFound('Showtime');
  const tickets = await db.query(
    `SELECT t.id, t.seat_id, t.status, t.booking_id, b.reference FROM tickets t JOIN bookings b ON b.id = t.booking_id WHERE t.showtime_id = $1 ORDER BY t.seat_id, t.issued_at`,
    [showtimeId],
  );
  const admitted = await db.query('SELECT ticket_id, device_id, admitted_at FROM admissions WHERE showtime_id = $1', [showtimeId]);
  return {
    showtime: { id: s.id, movieTitle: s.movie_title, hallName: s.hall_name, startsAt: s.starts_at.toISOString(), status: s.status },
    generatedAt: now.toISOString(),
    keys: keys.published,
    tickets: tickets.rows.filter((r) => r.status === 'valid').map((r) => ({ id: r.id, seat: r.seat_id, bookingId: r.booking_id, reference: r.reference })),
    revoked: tickets.rows.filter((r) => r.status === 'revoked').map((r) => r.id),
    admitted: admitted.rows.map((r) => ({ ticketId: r.ticket_id, deviceId: r.device_id, at: r.admitted_at.toISOString() })),
  };
}
