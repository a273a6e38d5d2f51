import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as secp from '@noble/secp256k1';
import { generateKeyPair, publicKeyOf, secp256k1Signer, verifyWithNoble } from '../src/chain/crypto';
import { verifyFast } from '../src/chain/native-crypto';
import { fromHex, sha256Hex, toHex, utf8 } from '../src/chain/encoding';

// The runtime verifies with node:crypto; the reference is noble. If they ever disagree, a vote
// could count on one replica and not on another, so they are checked against each other on
// random messages and on every kind of bad signature we can think of.
const N = secp.Point.CURVE().n;
const hex32 = (x: bigint) => x.toString(16).padStart(64, '0');
// Fixed keys, so a failure here replays exactly.
const keys = Array.from({ length: 6 }, (_, i) => {
  const secretKey = sha256Hex(utf8(`crypto-test-key-${i}`));
  return { secretKey, publicKey: publicKeyOf(secretKey) };
});

function malleate(signature: string): string {
  const s = BigInt('0x' + signature.slice(64));
  return signature.slice(0, 64) + hex32(N - s);
}

describe('node:crypto fast path agrees with noble', () => {
  it('on valid, malleated (high-S), wrong-key and altered signatures over random messages', () => {
    let cases = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(keys.length - 1), fc.nat(keys.length - 1), fc.nat(63), (message, signerIndex, otherIndex, byte) => {
        const signer = secp256k1Signer(keys[signerIndex].secretKey);
        const signature = signer.sign(message);
        const other = keys[otherIndex].publicKey;
        const flipped = fromHex(signature);
        flipped[byte] ^= 1 << (byte % 8);
        const altered = new Uint8Array(message.length + 1);
        altered.set(message);
        const probes: [string, Uint8Array, string, boolean | null][] = [
          [signer.publicKey, message, signature, true],
          [signer.publicKey, message, malleate(signature), false],
          [other, message, signature, otherIndex === signerIndex],
          [signer.publicKey, message, toHex(flipped), false],
          [signer.publicKey, altered, signature, false],
        ];
        for (const [key, msg, sig, expected] of probes) {
          const slow = verifyWithNoble(key, msg, sig);
          expect(verifyFast(key, msg, sig)).toBe(slow);
          if (expected !== null) expect(slow).toBe(expected);
          cases++;
        }
      }),
      { seed: 7, numRuns: 100 },
    );
    expect(cases).toBe(500);
  });

  it('a malleated signature is a genuine signature that both refuse on purpose', () => {
    const signer = secp256k1Signer(keys[0].secretKey);
    const message = new TextEncoder().encode('seat F7, showtime 2024-06-01 20:15');
    const high = malleate(signer.sign(message));
    expect(secp.verify(fromHex(high), message, fromHex(signer.publicKey), { lowS: false })).toBe(true);
    expect(verifyWithNoble(signer.publicKey, message, high)).toBe(false);
    expect(verifyFast(signer.publicKey, message, high)).toBe(false);
  });

  it('on out-of-range scalars, malformed encodings and keys that are not on the curve', () => {
    const signer = secp256k1Signer(keys[1].secretKey);
    const message = new TextEncoder().encode('booking 42');
    const good = signer.sign(message);
    const r = good.slice(0, 64);
    const s = good.slice(64);
    const notOnCurve = (() => {
      for (let x = 5n; ; x++) {
        const candidate = '02' + hex32(x);
        if (!secp.utils.isValidPublicKey(fromHex(candidate), true)) return candidate;
      }
    })();
    const probes: [string, string][] = [
      [signer.publicKey, hex32(0n) + s],
      [signer.publicKey, r + hex32(0n)],
      [signer.publicKey, hex32(N) + s],
      [signer.publicKey, r + hex32(N)],
      [signer.publicKey, hex32(BigInt('0x' + r) + N < 2n ** 256n ? BigInt('0x' + r) + N : 0n) + s],
      [signer.publicKey, good.slice(0, 126)],
      [signer.publicKey, good + '00'],
      [signer.publicKey, good.toUpperCase()],
      [signer.publicKey, (parseInt(good.slice(0, 2), 16) ^ 0x10).toString(16).padStart(2, '0') + good.slice(2)],
      [notOnCurve, good],
      ['04' + signer.publicKey.slice(2), good],
      [signer.publicKey.slice(0, 64), good],
      [signer.publicKey, 'zz' + good.slice(2)],
    ];
    for (const [key, sig] of probes) {
      expect(verifyFast(key, message, sig), `${key.slice(0, 8)} ${sig.slice(0, 8)}`).toBe(verifyWithNoble(key, message, sig));
    }
    expect(probes.filter(([key, sig]) => verifyFast(key, message, sig))).toEqual([]);
    expect(verifyFast(signer.publicKey, message, good)).toBe(true);
  });

  it('generates key pairs whose public half matches the secret', () => {
    const pair = generateKeyPair();
    expect(publicKeyOf(pair.secretKey)).toBe(pair.publicKey);
    expect(verifyFast(pair.publicKey, utf8('x'), secp256k1Signer(pair.secretKey).sign(utf8('x')))).toBe(true);
  });

  it('signing is deterministic (RFC 6979), so a replayed schedule signs the same bytes', () => {
    const a = secp256k1Signer(keys[2].secretKey);
    const message = new TextEncoder().encode('payment 7');
    expect(a.sign(message)).toBe(a.sign(message));
  });
});
