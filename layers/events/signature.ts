// Who published an event: every envelope carries an Ed25519 signature by the key of the domain
// it names as its source, and a consumer acts on it only when that domain is the one the
// contracts say publishes its type and the signature verifies under that domain's public key.
// So neither a reachable invoke endpoint nor a broker account can make up a payment.
//
// Signatures rather than a shared HMAC key: a consumer holds only public keys, so no consumer
// (nor anything that reads its environment) can sign an event in a publisher's name.
//
// What is signed is a canonical encoding of the envelope's fields (id, type, version, source,
// occurredAt, correlationId, data), so the same event verifies whatever the transport, the
// key order or the whitespace it travelled with. Replaying a genuine event is not forgery:
// the consumers' inbox applies it once.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { EventBus } from './bus';
import { PublishError } from './bus';
import type { Envelope } from './envelope';

/** Tells what is signed apart from any other Ed25519 message a key might sign. */
const SIGNED_FORM = 'cinema-event/1';

// DER prefixes around a raw 32-byte Ed25519 key (RFC 8410): the settings carry only the 32 bytes.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface EventSignature {
  /** Which of the source domain's keys signed: the first 8 bytes of SHA-256 of its public key, hex. */
  keyId: string;
  /** Ed25519 signature of the canonical encoding, base64. */
  value: string;
}

export type AuthenticityVerdict = { ok: true } | { ok: false; reason: string };

/** Decides whether an event may be acted on; the consume paths dead-letter what it refuses. */
export type EventAuthenticator = (event: Envelope) => AuthenticityVerdict;

/** JSON with every object's keys sorted, members that are undefined left out (as JSON.stringify leaves them). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${members.join(',')}}`;
}

/** The bytes a signature covers. */
export function signedBytes(event: Envelope): Buffer {
  const { id, type, version, source, occurredAt, correlationId, data } = event;
  return Buffer.from(canonicalJson([SIGNED_FORM, id, type, version, source, occurredAt, correlationId, data]), 'utf8');
}

const rawBytes = (base64: string, what: string): Buffer => {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64') !== base64.trim()) throw new Error(`${what} must be 32 bytes, base64`);
  return bytes;
};

export const keyIdOf = (publicKey: string): string => createHash('sha256').update(rawBytes(publicKey, 'an event public key')).digest('hex').slice(0, 16);

/** A new Ed25519 key pair for a publishing domain, both halves as base64 of their 32 raw bytes. */
export function generateEventKey(): { signingKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    signingKey: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length).toString('base64'),
  };
}

/** The public half of a signing key. */
export function publicKeyOf(signingKey: string): string {
  return createPublicKey(privateKeyObject(signingKey)).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length).toString('base64');
}

const privateKeyObject = (signingKey: string): KeyObject =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, rawBytes(signingKey, 'an event signing key')]), format: 'der', type: 'pkcs8' });

const publicKeyObject = (publicKey: string): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, rawBytes(publicKey, 'an event public key')]), format: 'der', type: 'spki' });

export interface EventSigner {
  domain: string;
  keyId: string;
  /** The event with its signature; refuses an event whose source is another domain. */
  sign<E extends Envelope>(event: E): E & { signature: EventSignature };
}

export function eventSigner(domain: string, signingKey: string): EventSigner {
  const key = privateKeyObject(signingKey);
  const keyId = keyIdOf(publicKeyOf(signingKey));
  return {
    domain,
    keyId,
    sign(event) {
      if (event.source !== domain) throw new Error(`${domain} signs only its own events; ${event.type} ${event.id} names ${event.source} as its source`);
      return { ...event, signature: { keyId, value: sign(null, signedBytes(event), key).toString('base64') } };
    },
  };
}

/**
 * The publisher's side: a bus that signs every event before publishing it. The outbox relay of
 * a domain publishes through it, so only the relay holds the domain's signing key.
 */
export function signingPublisher(signer: EventSigner, bus: Pick<EventBus, 'publish'>): Pick<EventBus, 'publish'> {
  return {
    async publish(event) {
      let signed: Envelope;
      try {
        signed = signer.sign(event);
      } catch (err) {
        throw new PublishError(`Event ${event.type} ${event.id} not published: ${(err as Error).message}`, event.id, { cause: err });
      }
      await bus.publish(signed);
    },
  };
}

export interface EventVerifierOptions {
  /** The domain the contracts say publishes a type; undefined for a type this consumer does not know. */
  publisherOf: (type: string) => string | undefined;
  /** Public keys (base64, 32 bytes) by domain: only those of the domains whose events the consumer takes. */
  publicKeys: Record<string, readonly string[]>;
}

/** The consumer's side: source is the type's publisher, and the signature verifies under that publisher's key. */
export function eventVerifier(options: EventVerifierOptions): EventAuthenticator {
  const keys = new Map<string, Map<string, KeyObject>>();
  for (const [domain, publicKeys] of Object.entries(options.publicKeys)) {
    keys.set(domain, new Map(publicKeys.map((k) => [keyIdOf(k), publicKeyObject(k)])));
  }
  return (event) => {
    const publisher = options.publisherOf(event.type);
    if (publisher === undefined) return { ok: false, reason: `${event.type} is not an event type this consumer knows the publisher of` };
    if (event.source !== publisher) return { ok: false, reason: `${event.type} is published by ${publisher}, but this event names ${event.source} as its source` };
    const signature = event.signature;
    if (!signature) return { ok: false, reason: `unsigned: ${publisher}'s events carry its signature, this one none` };
    const domainKeys = keys.get(publisher);
    if (!domainKeys?.size) return { ok: false, reason: `this consumer holds no key of ${publisher}` };
    const key = domainKeys.get(signature.keyId);
    if (!key) return { ok: false, reason: `signed with key ${signature.keyId}, which is not a key of ${publisher}` };
    const value = Buffer.from(signature.value, 'base64');
    if (value.length !== 64 || !verify(null, signedBytes(event), key, value)) {
      return { ok: false, reason: `the signature does not verify under ${publisher}'s key ${signature.keyId}: the event was altered or not signed by ${publisher}` };
    }
    return { ok: true };
  };
}
