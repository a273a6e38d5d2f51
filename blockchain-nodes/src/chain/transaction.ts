import { isCompressedPublicKey, isSignatureHex, type Signer, type Verifier } from './crypto';
import { canonicalJson, EncodingError, taggedBytes, toHex, utf8, type Json } from './encoding';
import { leafHash } from './merkle';
import type { Chain } from './genesis';

/** One ledger entry, e.g. a payment that succeeded or a booking that was confirmed. */
export interface Transaction {
  /** The source event's id (a uuid): submitting the same event twice is one transaction. */
  id: string;
  /** The event type, e.g. "payment.success". */
  type: string;
  payload: Json;
  /** Public key of the registered service that submitted it (compressed secp256k1, hex). */
  submitter: string;
  /** Over {@link transactionSigningBytes}. */
  signature: string;
}

export type UnsignedTransaction = Omit<Transaction, 'signature'>;

// Lower case only: "A" and "a" would otherwise be two ids for one event and commit twice.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;
export const MAX_PAYLOAD_BYTES = 16 * 1024;

export function transactionSigningBytes(tx: UnsignedTransaction): Uint8Array {
  return taggedBytes('transaction', { id: tx.id, type: tx.type, payload: tx.payload, submitter: tx.submitter });
}

export function signTransaction(unsigned: UnsignedTransaction, signer: Signer): Transaction {
  if (unsigned.submitter !== signer.publicKey) throw new Error('the submitter must be the signing key');
  return { ...unsigned, signature: signer.sign(transactionSigningBytes(unsigned)) };
}

/** What a Merkle leaf holds: the whole transaction, signature included, so a proof carries its own authority. */
export function transactionLeafData(tx: Transaction): Uint8Array {
  return utf8(canonicalJson({ id: tx.id, type: tx.type, payload: tx.payload, submitter: tx.submitter, signature: tx.signature }));
}

// Transactions are never changed once signed (everything that alters one builds a new object),
// so a hash can be remembered per object: a retried request or a re-proposed block costs nothing.
const leafHashes = new WeakMap<Transaction, Uint8Array>();

export function transactionLeafHash(tx: Transaction): Uint8Array {
  let hash = leafHashes.get(tx);
  if (!hash) leafHashes.set(tx, (hash = leafHash(transactionLeafData(tx))));
  return hash;
}
export const transactionHash = (tx: Transaction): string => toHex(transactionLeafHash(tx));

/** The reason a transaction is malformed, or null. Costs no signature check. */
export function transactionShapeProblem(tx: unknown): string | null {
  if (typeof tx !== 'object' || tx === null || Array.isArray(tx)) return 'not an object';
  const t = tx as Record<string, unknown>;
  const extra = Object.keys(t).filter((k) => !['id', 'type', 'payload', 'submitter', 'signature'].includes(k));
  if (extra.length) return `unexpected field ${extra[0]}`;
  if (typeof t.id !== 'string' || !UUID.test(t.id)) return 'id is not a lower-case uuid';
  if (typeof t.type !== 'string' || !EVENT_TYPE.test(t.type)) return 'type is not an event type';
  if (!('payload' in t)) return 'payload is missing';
  if (!isCompressedPublicKey(t.submitter)) return 'submitter is not a compressed public key';
  if (!isSignatureHex(t.signature)) return 'signature is not 64 bytes of hex';
  try {
    if (canonicalJson(t.payload).length > MAX_PAYLOAD_BYTES) return 'payload is too large';
  } catch (e) {
    return `payload has no canonical form: ${e instanceof EncodingError ? e.message : String(e)}`;
  }
  return null;
}

/** The reason a transaction may not enter the chain (shape, registration, signature), or null. */
export function transactionProblem(chain: Chain, tx: Transaction, verify: Verifier): string | null {
  const shape = transactionShapeProblem(tx);
  if (shape) return shape;
  if (!chain.submitters.has(tx.submitter)) return 'submitter is not registered in genesis';
  if (!verify(tx.submitter, transactionSigningBytes(tx), tx.signature)) return 'signature does not verify';
  return null;
}
