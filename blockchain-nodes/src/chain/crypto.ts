import * as secp from '@noble/secp256k1';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, isHex, toHex } from './encoding';

// Pure JavaScript, so the verifier runs in an auditor's browser too; a Node process installs
// OpenSSL's faster curve arithmetic and hashes with native-crypto.ts (same answers).
secp.hashes.hmacSha256 = (key, msg) => hmac(sha256, key, msg);
secp.hashes.sha256 = (msg) => sha256(msg);

/** Signs bytes with one key; the key itself stays with whoever built the signer. */
export interface Signer {
  readonly publicKey: string;
  sign(message: Uint8Array): string;
}

/**
 * Checks a signature over `message` by `publicKey` (compressed SEC 1, hex). Injected wherever a
 * signature is checked, so a runtime picks the fast path, a test counts calls, and a simulation
 * can swap in an idealised scheme.
 */
export type Verifier = (publicKey: string, message: Uint8Array, signature: string) => boolean;

export interface KeyPair {
  secretKey: string;
  publicKey: string;
}

export function generateKeyPair(): KeyPair {
  const { secretKey, publicKey } = secp.keygen();
  return { secretKey: toHex(secretKey), publicKey: toHex(publicKey) };
}

export function publicKeyOf(secretKey: string): string {
  return toHex(secp.getPublicKey(fromHex(secretKey), true));
}

/** ECDSA over SHA-256 of the message, RFC 6979 nonces and low-S, so a replica signs the same bytes the same way every time. */
export function secp256k1Signer(secretKey: string): Signer {
  const key = fromHex(secretKey);
  const publicKey = toHex(secp.getPublicKey(key, true));
  return { publicKey, sign: (message) => toHex(secp.sign(message, key)) };
}

export const isCompressedPublicKey = (text: unknown): text is string =>
  isHex(text, 33) && (text.startsWith('02') || text.startsWith('03'));

export const isSignatureHex = (text: unknown): text is string => isHex(text, 64);

/** The reference check: pure JavaScript, strict (compact 64-byte, low-S only). */
export const verifyWithNoble: Verifier = (publicKey, message, signature) => {
  if (!isCompressedPublicKey(publicKey) || !isSignatureHex(signature)) return false;
  try {
    return secp.verify(fromHex(signature), message, fromHex(publicKey));
  } catch {
    return false;
  }
};

let preferred: Verifier = verifyWithNoble;
/** Installs a faster verifier with the same answers (OpenSSL's, in Node: native-crypto.ts). */
export const useVerifier = (verify: Verifier) => void (preferred = verify);

/** What every component uses unless told otherwise: the fastest installed, else {@link verifyWithNoble}. */
export const defaultVerifier: Verifier = (publicKey, message, signature) => preferred(publicKey, message, signature);

/** Wraps a verifier to count calls — the benchmark's unit of work, and a test's way to see what was checked. */
export function countingVerifier(inner: Verifier): Verifier & { count: number } {
  const counted = ((publicKey: string, message: Uint8Array, signature: string) => {
    counted.count++;
    return inner(publicKey, message, signature);
  }) as Verifier & { count: number };
  counted.count = 0;
  return counted;
}
