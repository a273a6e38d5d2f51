import * as secp from '@noble/secp256k1';
import { createHash, createHmac, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { fromHex, isHex, toHex } from './encoding';

// noble leaves its hashes to the caller: node's native ones make each signature's RFC 6979 nonce cheaper (same bytes).
secp.hashes.hmacSha256 = (key, msg) => createHmac('sha256', key).update(msg).digest();
secp.hashes.sha256 = (msg) => createHash('sha256').update(msg).digest();

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

const CURVE_ORDER = secp.Point.CURVE().n;
const HALF_ORDER = CURVE_ORDER >> 1n;
// SubjectPublicKeyInfo prefix for an id-ecPublicKey on secp256k1 with a 33-byte compressed point.
const SPKI_PREFIX = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');
const keyObjects = new Map<string, KeyObject | null>();
const KEY_CACHE_LIMIT = 4096;

function keyObjectFor(publicKey: string): KeyObject | null {
  let key = keyObjects.get(publicKey);
  if (key !== undefined) return key;
  // OpenSSL accepts some encodings noble refuses; noble decides what a valid key is, once per key.
  key = secp.utils.isValidPublicKey(fromHex(publicKey), true)
    ? createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey, 'hex')]), format: 'der', type: 'spki' })
    : null;
  if (keyObjects.size >= KEY_CACHE_LIMIT) keyObjects.clear();
  keyObjects.set(publicKey, key);
  return key;
}

/**
 * The same answers as {@link verifyWithNoble}, about seven times faster: OpenSSL does the curve
 * arithmetic. OpenSSL accepts high-S signatures, so those are refused here first; otherwise a
 * signature and its malleated twin would both verify and a vote could be counted twice.
 */
export const verifyFast: Verifier = (publicKey, message, signature) => {
  if (!isCompressedPublicKey(publicKey) || !isSignatureHex(signature)) return false;
  const r = BigInt('0x' + signature.slice(0, 64));
  const s = BigInt('0x' + signature.slice(64));
  if (r === 0n || r >= CURVE_ORDER || s === 0n || s > HALF_ORDER) return false;
  const key = keyObjectFor(publicKey);
  if (!key) return false;
  try {
    return nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'hex'));
  } catch {
    return false;
  }
};

/** What every component uses unless told otherwise. */
export const defaultVerifier: Verifier = verifyFast;

/** Wraps a verifier to count calls — the benchmark's unit of work, and a test's way to see what was checked. */
export function countingVerifier(inner: Verifier): Verifier & { count: number } {
  const counted = ((publicKey: string, message: Uint8Array, signature: string) => {
    counted.count++;
    return inner(publicKey, message, signature);
  }) as Verifier & { count: number };
  counted.count = 0;
  return counted;
}
