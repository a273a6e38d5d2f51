import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import QRCode from 'qrcode';
import {
  base45Decode,
  base45Encode,
  checkTicketAtDoor,
  issueTicketCode,
  readTicketCode,
  ticketPublicKey,
  verifyTicketCode,
  type TicketClaims,
} from '../ticket-code';

const secret = secp.utils.randomSecretKey();
const other = secp.utils.randomSecretKey();
const keys = [{ keyId: 3, publicKey: ticketPublicKey(secret) }];
const now = Math.floor(Date.now() / 1000);
const claims = (over: Partial<TicketClaims> = {}): TicketClaims => ({
  keyId: 3,
  ticketId: randomUUID(),
  showtimeId: randomUUID(),
  bookingId: randomUUID(),
  seat: 'C12',
  validFrom: now - 60,
  validUntil: now + 3600,
  ...over,
});

describe('base45', () => {
  it('is RFC 9285 (its examples) and round-trips any bytes', () => {
    expect(base45Encode(new TextEncoder().encode('AB'))).toBe('BB8');
    expect(base45Encode(new TextEncoder().encode('Hello!!'))).toBe('%69 VD92EX0');
    expect(new TextDecoder().decode(base45Decode('QED8WEX0')!)).toBe('ietf!');
    for (let n = 0; n < 40; n++) {
      const bytes = secp.utils.randomSecretKey().subarray(0, n % 32);
      expect(base45Decode(base45Encode(bytes))).toEqual(bytes);
    }
    expect(base45Decode('GGW')).toBeNull(); // 65536 + …: out of range
    expect(base45Decode('a00')).toBeNull();
    expect(base45Decode('0000')).toBeNull();
  });
});

describe('ticket code', () => {
  it('verifies with the published key alone and reads back every claim', () => {
    const c = claims();
    const code = issueTicketCode(c, secret);
    expect(verifyTicketCode(code, keys)).toEqual({ ok: true, claims: c });
    // 123 bytes + the seat's 3, in base45
    expect(base45Decode(code)!.length).toBe(126);
    expect(code.length).toBe(189);
  });

  it('fails for any changed byte', () => {
    const code = issueTicketCode(claims(), secret);
    const bytes = base45Decode(code)!;
    for (let i = 0; i < bytes.length; i++) {
      const changed = bytes.slice();
      changed[i] ^= 1 << (i % 8);
      const v = verifyTicketCode(base45Encode(changed), keys);
      expect(v.ok, `byte ${i}`).toBe(false);
    }
  });

  it('fails for another key, an unknown key id, truncation and garbage', () => {
    const code = issueTicketCode(claims(), other);
    expect(verifyTicketCode(code, keys)).toEqual({ ok: false, reason: 'the signature does not match' });
    expect(verifyTicketCode(issueTicketCode(claims({ keyId: 4 }), secret), keys).ok).toBe(false);
    const good = issueTicketCode(claims(), secret);
    for (let n = 0; n < good.length; n++) expect(verifyTicketCode(good.slice(0, n), keys).ok).toBe(false);
    for (const junk of ['', 'https://example.org/', '{"a":1}', 'K7Q-4MX', null, 42, 'Ω'.repeat(300)]) expect(readTicketCode(junk).ok).toBe(false);
  });

  it('keeps verifying after a rotation while the old key stays published', () => {
    const old = issueTicketCode(claims(), secret);
    const rotated = [...keys, { keyId: 4, publicKey: ticketPublicKey(other) }];
    expect(verifyTicketCode(old, rotated).ok).toBe(true);
    expect(verifyTicketCode(issueTicketCode(claims({ keyId: 4 }), other), rotated).ok).toBe(true);
  });

  it('is refused at the door when revoked, for another showtime, too early or too late', () => {
    const c = claims();
    const code = issueTicketCode(c, secret);
    const ctx = { keys, showtimeId: c.showtimeId, now, isRevoked: () => false };
    expect(checkTicketAtDoor(code, ctx).verdict).toBe('valid');
    expect(checkTicketAtDoor(code, { ...ctx, isRevoked: (id) => id === c.ticketId }).verdict).toBe('revoked');
    expect(checkTicketAtDoor(code, { ...ctx, showtimeId: randomUUID() }).verdict).toBe('wrong-showtime');
    expect(checkTicketAtDoor(code, { ...ctx, now: c.validFrom - 1 }).verdict).toBe('not-yet-open');
    expect(checkTicketAtDoor(code, { ...ctx, now: c.validUntil + 1 }).verdict).toBe('closed');
    expect(checkTicketAtDoor(code.slice(1), ctx).verdict).toBe('not-a-ticket');
  });

  it('fits a QR code of version 8 at error correction M in alphanumeric mode', () => {
    const code = issueTicketCode(claims({ seat: 'AA12' }), secret);
    const qr = QRCode.create(code, { errorCorrectionLevel: 'M' });
    expect(qr.segments.every((s: any) => s.mode.id === 'Alphanumeric')).toBe(true);
    expect(qr.version).toBeLessThanOrEqual(8);
  });
});
