// The signed ticket code: what booking prints in a ticket's QR code and what a door device
// checks with nothing but the cinema's published public keys. Pure and free of node: imports,
// so the door page bundles this very module and judges a code offline as the server does.
//
// Bytes (big-endian), 123 + n of them; base45 (RFC 9285) text, which QR's alphanumeric mode
// stores at 5.5 bits a character:
//   0      1  format version (1)
//   1      1  key id: which ticket-issuing key signed it (1–255; see GET /tickets/keys)
//   2     16  ticket id (UUID)
//  18     16  showtime id (UUID)
//  34     16  booking id (UUID)
//  50      4  valid from, Unix seconds (the door opens)
//  54      4  valid until, Unix seconds
//  58      1  n, the seat id's length (1–16)
//  59      n  seat id, ASCII ("C12")
//  59+n   64  secp256k1 ECDSA signature, compact r‖s, low-S, over SHA-256(TAG ‖ bytes 0…58+n)
import * as secp from '@noble/secp256k1';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

// noble leaves its hashes to the caller; whoever set them first (the ledger sets node's) computes the same bytes
secp.hashes.sha256 ??= sha256;
secp.hashes.hmacSha256 ??= (key, msg) => hmac(sha256, key, msg);

export const TICKET_FORMAT = 1;
const HEADER = 59;
const SIGNATURE = 64;
const MAX_SEAT = 16;
// domain separation: a ticket's signature can never be replayed as any other signed thing
const TAG = new TextEncoder().encode('cinema ticket\n');

export interface TicketClaims {
  keyId: number;
  ticketId: string;
  showtimeId: string;
  bookingId: string;
  seat: string;
  /** Unix seconds */
  validFrom: number;
  validUntil: number;
}

export interface PublishedKey {
  keyId: number;
  /** compressed SEC 1 public key, hex */
  publicKey: string;
}

// --- base45 (RFC 9285) ---------------------------------------------------------------------

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    out += B45[c]! + B45[d]! + B45[(n - d) / 45]!;
  }
  if (bytes.length % 2) {
    const n = bytes[bytes.length - 1]!;
    out += B45[n % 45]! + B45[Math.floor(n / 45)]!;
  }
  return out;
}

/** The bytes, or null for anything that is not base45. */
export function base45Decode(text: string): Uint8Array | null {
  if (text.length % 3 === 1) return null;
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const c = B45.indexOf(text[i]!);
    const d = B45.indexOf(text[i + 1]!);
    if (c < 0 || d < 0) return null;
    if (i + 2 < text.length) {
      const e = B45.indexOf(text[i + 2]!);
      if (e < 0) return null;
      const n = c + d * 45 + e * 2025;
      if (n > 0xffff) return null;
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = c + d * 45;
      if (n > 0xff) return null;
      out[o++] = n;
    }
  }
  return out;
}

// --- bytes ---------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEAT = /^[\x21-\x7e]{1,16}$/;

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}
const uuidBytes = (id: string) => fromHex(id.replace(/-/g, ''));
function uuidText(b: Uint8Array): string {
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function body(c: TicketClaims): Uint8Array {
  if (!Number.isInteger(c.keyId) || c.keyId < 1 || c.keyId > 255) throw new Error('a ticket key id is 1–255');
  for (const id of [c.ticketId, c.showtimeId, c.bookingId]) if (!UUID.test(id)) throw new Error(`not a UUID: ${id}`);
  if (!SEAT.test(c.seat)) throw new Error(`a seat id is 1–${MAX_SEAT} printable ASCII characters: ${c.seat}`);
  for (const t of [c.validFrom, c.validUntil]) if (!Number.isInteger(t) || t < 0 || t > 0xffffffff) throw new Error('validity is in Unix seconds');
  const out = new Uint8Array(HEADER + c.seat.length);
  const view = new DataView(out.buffer);
  out[0] = TICKET_FORMAT;
  out[1] = c.keyId;
  out.set(uuidBytes(c.ticketId), 2);
  out.set(uuidBytes(c.showtimeId), 18);
  out.set(uuidBytes(c.bookingId), 34);
  view.setUint32(50, c.validFrom);
  view.setUint32(54, c.validUntil);
  out[58] = c.seat.length;
  for (let i = 0; i < c.seat.length; i++) out[HEADER + i] = c.seat.charCodeAt(i);
  return out;
}

const signedMessage = (b: Uint8Array) => {
  const m = new Uint8Array(TAG.length + b.length);
  m.set(TAG);
  m.set(b, TAG.length);
  return m;
};

/** The ticket's code, signed by `secretKey` (32 bytes) whose id is `claims.keyId`. */
export function issueTicketCode(claims: TicketClaims, secretKey: Uint8Array): string {
  const b = body(claims);
  const sig = secp.sign(signedMessage(b), secretKey, { lowS: true });
  const out = new Uint8Array(b.length + SIGNATURE);
  out.set(b);
  out.set(sig, b.length);
  return base45Encode(out);
}

export const ticketPublicKey = (secretKey: Uint8Array): string => hex(secp.getPublicKey(secretKey, true));

export type CodeReading = { ok: true; claims: TicketClaims; signed: Uint8Array; signature: Uint8Array } | { ok: false; reason: string };

/** What a code says, unchecked: its claims, or why it is no ticket code at all. Never throws. */
export function readTicketCode(code: unknown): CodeReading {
  if (typeof code !== 'string' || code.length > 400) return { ok: false, reason: 'not a ticket code' };
  const bytes = base45Decode(code.trim());
  if (!bytes || bytes.length < HEADER + 1 + SIGNATURE) return { ok: false, reason: 'not a ticket code' };
  if (bytes[0] !== TICKET_FORMAT) return { ok: false, reason: 'a ticket format this device does not know' };
  const n = bytes[58]!;
  if (n < 1 || n > MAX_SEAT || bytes.length !== HEADER + n + SIGNATURE) return { ok: false, reason: 'not a ticket code' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seat = String.fromCharCode(...bytes.subarray(HEADER, HEADER + n));
  if (!SEAT.test(seat)) return { ok: false, reason: 'not a ticket code' };
  return {
    ok: true,
    claims: {
      keyId: bytes[1]!,
      ticketId: uuidText(bytes.subarray(2, 18)),
      showtimeId: uuidText(bytes.subarray(18, 34)),
      bookingId: uuidText(bytes.subarray(34, 50)),
      validFrom: view.getUint32(50),
      validUntil: view.getUint32(54),
      seat,
    },
    signed: bytes.subarray(0, HEADER + n),
    signature: bytes.subarray(HEADER + n),
  };
}

export type TicketVerification = { ok: true; claims: TicketClaims } | { ok: false; reason: string };

/**
 * Checks a compact low-S signature over `message` (SHA-256 inside) by a compressed public key.
 * The default is noble's, pure JavaScript, for the browser; a server may pass a native one
 * (node:crypto), which must agree on every input (functions/booking/ticket-verifier.test.ts).
 */
export type SignatureCheck = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

export const nobleCheck: SignatureCheck = (signature, message, publicKey) => secp.verify(signature, message, publicKey, { lowS: true });

/** The bytes a ticket's signature covers, for a native check. */
export const ticketSignedMessage = (signed: Uint8Array) => signedMessage(signed);

/** A code checked against the published keys alone: its claims if the key it names signed exactly these bytes. */
export function verifyTicketCode(code: unknown, keys: readonly PublishedKey[], check: SignatureCheck = nobleCheck): TicketVerification {
  const read = readTicketCode(code);
  if (!read.ok) return read;
  const key = keys.find((k) => k.keyId === read.claims.keyId);
  if (!key) return { ok: false, reason: `signed by key ${read.claims.keyId}, which the cinema does not publish` };
  try {
    if (check(read.signature, signedMessage(read.signed), fromHex(key.publicKey))) return { ok: true, claims: read.claims };
  } catch {
    // a malformed key or signature is a failed check like any other
  }
  return { ok: false, reason: 'the signature does not match' };
}

// --- the door's judgement --------------------------------------------------------------------

export type DoorVerdict = 'admitted' | 'already-admitted' | 'revoked' | 'wrong-showtime' | 'not-yet-open' | 'closed' | 'not-a-ticket';

export interface DoorContext {
  keys: readonly PublishedKey[];
  /** the showtime this door admits to, if it admits to one only */
  showtimeId?: string;
  /** Unix seconds */
  now: number;
  isRevoked(ticketId: string): boolean;
  /** the signature check (noble's by default) */
  check?: SignatureCheck;
}

export type DoorCheck = { verdict: Exclude<DoorVerdict, 'admitted' | 'already-admitted'>; reason: string; claims?: TicketClaims } | { verdict: 'valid'; claims: TicketClaims };

/**
 * Everything about a code except whether it was used already (the server's admissions, or a
 * device's journal offline): signature, revocation, showtime and the validity window.
 */
export function checkTicketAtDoor(code: unknown, ctx: DoorContext): DoorCheck {
  const v = verifyTicketCode(code, ctx.keys, ctx.check);
  if (!v.ok) return { verdict: 'not-a-ticket', reason: v.reason };
  const c = v.claims;
  if (ctx.isRevoked(c.ticketId)) return { verdict: 'revoked', reason: 'this ticket was revoked (cancelled or re-issued)', claims: c };
  if (ctx.showtimeId && c.showtimeId !== ctx.showtimeId) return { verdict: 'wrong-showtime', reason: 'this ticket is for another showtime', claims: c };
  if (ctx.now < c.validFrom) return { verdict: 'not-yet-open', reason: `the door opens at ${new Date(c.validFrom * 1000).toISOString()}`, claims: c };
  if (ctx.now > c.validUntil) return { verdict: 'closed', reason: 'this ticket is no longer valid', claims: c };
  return { verdict: 'valid', claims: c };
}
