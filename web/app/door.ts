// The door device's own memory and judgement: its id, the showtime's manifest, the journal of
// its scans (localStorage, so a reload offline loses nothing), and the offline verdict — the
// same ticket-code module the server checks with, against the manifest's keys and revocations.
import { checkTicketAtDoor } from '../../layers/contracts/ticket-code';
import type { Checkin, DoorManifest, DoorVerdict, Scan } from '../shared/api';

export interface JournalEntry {
  scan: Scan;
  /** what this device told the person at the door */
  verdict: DoorVerdict;
  reason: string;
  seat?: string;
  ticketId?: string;
  /** the server's answer, once uploaded */
  server?: Checkin;
}

const store = {
  get<T>(key: string): T | undefined {
    try {
      const v = localStorage.getItem(key);
      return v ? (JSON.parse(v) as T) : undefined;
    } catch {
      return undefined;
    }
  },
  set(key: string, value: unknown) {
    localStorage.setItem(key, JSON.stringify(value));
  },
};

export function deviceId(): string {
  let id = localStorage.getItem('cinema.door.device');
  if (!id) {
    id = `door-${Math.random().toString(36).slice(2, 8)}`;
    localStorage.setItem('cinema.door.device', id);
  }
  return id;
}

export const newScanId = () => `${deviceId()}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export const savedManifest = (showtimeId: string) => store.get<DoorManifest>(`cinema.door.manifest.${showtimeId}`);
export const saveManifest = (m: DoorManifest) => store.set(`cinema.door.manifest.${m.showtime.id}`, m);
export const savedJournal = (showtimeId: string) => store.get<JournalEntry[]>(`cinema.door.journal.${showtimeId}`) ?? [];
export const saveJournal = (showtimeId: string, journal: JournalEntry[]) => store.set(`cinema.door.journal.${showtimeId}`, journal);

// "K7Q-4MX A1": a booking's reference and a seat, as door staff type them
const TYPED = /^\s*([0-9A-Za-z]{3})-?([0-9A-Za-z]{3})\s*[\s/]\s*([A-Za-z]{1,3}[0-9]{1,3})\s*$/;

/** The verdict with no server: the manifest's keys, revocations and admissions, and this device's journal. */
export function judgeOffline(text: string, manifest: DoorManifest, journal: JournalEntry[], now = Date.now()): Omit<JournalEntry, 'scan'> {
  let ticketId: string;
  let seat: string;
  const typed = TYPED.exec(text);
  if (typed) {
    const reference = `${typed[1]}-${typed[2]}`.toUpperCase();
    const t = manifest.tickets.find((x) => x.reference === reference && x.seat === typed[3]!.toUpperCase());
    if (!t) return { verdict: 'not-a-ticket', reason: `no valid ticket ${reference} ${typed[3]!.toUpperCase()} on this showtime's list` };
    ticketId = t.id;
    seat = t.seat;
  } else {
    const check = checkTicketAtDoor(text, { keys: manifest.keys, showtimeId: manifest.showtime.id, now: Math.floor(now / 1000), isRevoked: (id) => manifest.revoked.includes(id) });
    if (check.verdict !== 'valid') return { verdict: check.verdict, reason: check.reason, seat: check.claims?.seat, ticketId: check.claims?.ticketId };
    ticketId = check.claims.ticketId;
    seat = check.claims.seat;
  }
  const before = manifest.admitted.find((a) => a.ticketId === ticketId);
  if (before) return { verdict: 'already-admitted', reason: `already admitted at ${new Date(before.at).toLocaleTimeString('en-GB')} by ${before.deviceId}`, seat, ticketId };
  const mine = journal.find((e) => e.ticketId === ticketId && (e.verdict === 'admitted' || e.server?.verdict === 'admitted'));
  if (mine) return { verdict: 'already-admitted', reason: `already admitted at ${new Date(mine.scan.scannedAt).toLocaleTimeString('en-GB')} by this device`, seat, ticketId };
  return { verdict: 'admitted', reason: `seat ${seat}`, seat, ticketId };
}
