// The cinema's event keys: each publishing domain signs its events with a key of its own
// (Ed25519, layers/events/signature.ts), and each consumer checks them against the contracts —
// the type's publisher (EVENTS) must be the event's source — with the public keys of only the
// domains whose events it is bound to (CONSUMERS).
//
//   EVENT_SIGNING_KEY_<DOMAIN>  the domain's private key, 32 bytes base64: only its outbox relay has it
//   EVENT_PUBLIC_KEY_<DOMAIN>   its public key, 32 bytes base64; a comma-separated list while a key
//                               is being replaced (the old and the new one both verify)
import { z } from 'zod';
import { loadConfig, type Env } from '../core/config';
import { eventSigner, eventVerifier, generateEventKey, type EventAuthenticator, type EventSigner } from '../events/signature';
import { CONSUMERS, type ConsumerQueue } from './consumers';
import { EVENTS, PUBLISHING_DOMAINS, type EventType, type PublishingDomain } from './events';

export const signingKeySetting = (domain: PublishingDomain) => `EVENT_SIGNING_KEY_${domain.toUpperCase()}`;
export const publicKeySetting = (domain: PublishingDomain) => `EVENT_PUBLIC_KEY_${domain.toUpperCase()}`;

const base64Key = z.string({ error: 'must be set: a key of 32 bytes, base64' }).regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64 (44 characters)');
const keyList = z
  .string({ error: 'must be set: the public key of 32 bytes, base64 (or several, comma-separated)' })
  .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
  .pipe(z.array(base64Key).min(1, 'must name at least one key of 32 bytes, base64'));

/** The domain the contracts say publishes `type`. */
export const publisherOf = (type: string): PublishingDomain | undefined => (Object.hasOwn(EVENTS, type) ? EVENTS[type as EventType].source : undefined);

/** The domains whose events a consumer takes: the publishers of the types its queue is bound to. */
export const publishersFor = (queue: ConsumerQueue): PublishingDomain[] => [...new Set(CONSUMERS[queue].bindings.map((type) => EVENTS[type].source))];

/** What a consumer verifies with: the public keys of its publishers, from the environment (a missing one fails here, named). */
export function consumerAuthenticator(queue: ConsumerQueue, env: Env = process.env): EventAuthenticator {
  const domains = publishersFor(queue);
  const config = loadConfig(Object.fromEntries(domains.map((d) => [publicKeySetting(d), keyList])), env) as Record<string, string[]>;
  return eventVerifier({ publisherOf, publicKeys: Object.fromEntries(domains.map((d) => [d, config[publicKeySetting(d)]])) });
}

/** What a domain's outbox relay signs with, from the environment. */
export function relaySigner(domain: PublishingDomain, env: Env = process.env): EventSigner {
  const setting = signingKeySetting(domain);
  const config = loadConfig({ [setting]: base64Key }, env) as Record<string, string>;
  return eventSigner(domain, config[setting]);
}

/** One key pair per publishing domain, as settings: for local stages and tests, never a deployed one. */
export function generateEventKeySettings(): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const domain of PUBLISHING_DOMAINS) {
    const { signingKey, publicKey } = generateEventKey();
    settings[signingKeySetting(domain)] = signingKey;
    settings[publicKeySetting(domain)] = publicKey;
  }
  return settings;
}

/** Only the public halves of `settings`: what the consumer functions get. */
export const publicKeySettings = (settings: Env): Record<string, string> =>
  Object.fromEntries(PUBLISHING_DOMAINS.flatMap((d) => (settings[publicKeySetting(d)] ? [[publicKeySetting(d), settings[publicKeySetting(d)]!]] : [])));
