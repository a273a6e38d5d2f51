import { secp256k1Signer, type Signer, type Verifier } from '../chain/crypto';
import { verifyFast } from '../chain/native-crypto';
import { sha256, sha256Hex, toHex, utf8 } from '../chain/encoding';

/** Signing and verification for one simulated cluster. */
export interface SignatureScheme {
  readonly name: 'secp256k1' | 'ideal';
  /** The same label always gives the same key, so a schedule replays byte for byte. */
  signer(label: string): Signer;
  verify: Verifier;
}

/**
 * Real ECDSA: noble signs (deterministic RFC 6979), node:crypto verifies. Replicas in a
 * simulation verify the same broadcast many times; a memo keeps that affordable without changing
 * any answer, since verification is a pure function.
 */
export function secp256k1Scheme(): SignatureScheme {
  const memo = new Map<string, boolean>();
  return {
    name: 'secp256k1',
    signer: (label) => secp256k1Signer(sha256Hex(utf8(`sim-key:${label}`))),
    verify: (publicKey, message, signature) => {
      const key = `${publicKey}${signature}${toHex(sha256(message))}`;
      let ok = memo.get(key);
      if (ok === undefined) {
        ok = verifyFast(publicKey, message, signature);
        if (memo.size > 200_000) memo.clear();
        memo.set(key, ok);
      }
      return ok;
    },
  };
}

/**
 * The ideal signature functionality of protocol proofs: only the holder of a key can make a
 * signature that verifies, and a verifier can tell. Implemented with a keyed hash that the
 * verifier may recompute because it sits outside every replica; a Byzantine replica only ever
 * holds its own signer, exactly as with ECDSA. Thousands of schedules cost seconds this way,
 * not hours; a share of the schedules and every scenario test run real ECDSA instead.
 */
export function idealScheme(): SignatureScheme {
  const secrets = new Map<string, Uint8Array>();
  // 64 bytes like an ECDSA signature, so every shape check treats both schemes alike.
  const tag = (secret: Uint8Array, message: Uint8Array) => {
    const h = toHex(sha256(secret, message));
    return h + h;
  };
  return {
    name: 'ideal',
    signer(label) {
      const secret = sha256(utf8(`ideal-key:${label}`));
      const publicKey = '02' + sha256Hex(secret);
      secrets.set(publicKey, secret);
      return { publicKey, sign: (message) => tag(secret, message) };
    },
    verify(publicKey, message, signature) {
      const secret = secrets.get(publicKey);
      return secret !== undefined && signature === tag(secret, message);
    },
  };
}
