// Node's native crypto under the chain format, with the same answers as the pure-JavaScript
// defaults the browser uses: importing this module installs OpenSSL's ECDSA verification on
// secp256k1 (about seven times noble's speed here) and native SHA-256/HMAC. Every Node entry
// (protocol.ts, the replica runtime, the simulator) imports it; the browser verifier never does.
import * as secp from '@noble/secp256k1';
import { createHash, createHmac, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { isCompressedPublicKey, isSignatureHex, useVerifier, type Verifier } from './crypto';
import { fromHex, useSha256 } from './encoding';

secp.hashes.hmacSha256 = (key, msg) => createHmac('sha256', key).update(msg).digest();
secp.hashes.sha256 = (msg) => createHash('sha256').update(msg).digest();

useSha256((parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
});

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
 * The same answers as `verifyWithNoble`, about seven times faster: OpenSSL does the curve
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

useVerifier(verifyFast);
