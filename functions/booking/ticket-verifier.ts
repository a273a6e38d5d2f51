// The server checks ticket signatures with node:crypto's native ECDSA (about five times
// noble's rate here); the door page keeps noble's. Both must agree: a test proves it.
import { createPublicKey, verify } from 'node:crypto';
import type { SignatureCheck } from '../../layers/contracts/ticket-code';

// SubjectPublicKeyInfo prefix of a compressed secp256k1 public key (id-ecPublicKey, secp256k1)
const SPKI = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const keys = new Map<string, ReturnType<typeof createPublicKey>>();

export const nativeCheck: SignatureCheck = (signature, message, publicKey) => {
  if (signature.length !== 64 || publicKey.length !== 33) return false;
  // noble is strict about low-S; so is this, so a high-S twin of a signature is refused alike
  const s = BigInt('0x' + Buffer.from(signature.subarray(32)).toString('hex'));
  if (s > HALF_ORDER) return false;
  const id = Buffer.from(publicKey).toString('hex');
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI, publicKey]), format: 'der', type: 'spki' });
    keys.set(id, key);
  }
  return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
};
