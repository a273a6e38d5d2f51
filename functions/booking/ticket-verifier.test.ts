import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import { base45Decode, base45Encode, issueTicketCode, nobleCheck, ticketPublicKey, verifyTicketCode } from '../../layers/contracts/ticket-code';
import { nativeCheck } from './ticket-verifier';

const N = secp.Point.CURVE().n;

describe("the server's native ticket check", () => {
  it('agrees with noble on good codes, every changed byte, other keys and high-S twins', () => {
    const secret = secp.utils.randomSecretKey();
    const keys = [{ keyId: 1, publicKey: ticketPublicKey(secret) }];
    const others = [{ keyId: 1, publicKey: ticketPublicKey(secp.utils.randomSecretKey()) }];
    for (let round = 0; round < 5; round++) {
      const code = issueTicketCode({ keyId: 1, ticketId: randomUUID(), showtimeId: randomUUID(), bookingId: randomUUID(), seat: `B${round + 1}`, validFrom: 1, validUntil: 2 }, secret);
      const bytes = base45Decode(code)!;
      const variants = [code];
      for (let i = 0; i < bytes.length; i += 3) {
        const changed = bytes.slice();
        changed[i] ^= 0x10;
        variants.push(base45Encode(changed));
      }
      // the same signature with s → n − s: valid ECDSA, refused by both as not low-S
      const twin = bytes.slice();
      const s = BigInt('0x' + Buffer.from(bytes.subarray(bytes.length - 32)).toString('hex'));
      twin.set(Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'), bytes.length - 32);
      variants.push(base45Encode(twin));
      for (const v of variants)
        for (const k of [keys, others]) expect(verifyTicketCode(v, k, nativeCheck).ok, v).toBe(verifyTicketCode(v, k, nobleCheck).ok);
      expect(verifyTicketCode(code, keys, nativeCheck).ok).toBe(true);
      expect(verifyTicketCode(base45Encode(twin), keys, nativeCheck).ok).toBe(false);
    }
  });
});
