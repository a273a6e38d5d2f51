import { sha256 as sha256Js } from '@noble/hashes/sha2.js';

// No node: imports here or in anything the verifier imports: the web app bundles the same
// verifier for auditors' browsers. A Node process swaps in its native hash (native-crypto.ts).

/** The values a transaction payload, a header or a signed message may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class EncodingError extends Error {}

/**
 * RFC 8785 (JSON Canonicalization Scheme) for the values we allow: keys sorted by UTF-16 code
 * units, no whitespace, numbers in ECMAScript's shortest round-trip form. Two honest replicas
 * must hash the same bytes for the same value, so anything JSON would silently drop or alter
 * (undefined, NaN, lone surrogates, class instances) is refused rather than guessed at.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new EncodingError('value nested too deeply');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new EncodingError(`number ${value} has no canonical form`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new EncodingError('string holds a lone surrogate');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + write(value[i], depth + 1);
        return out + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new EncodingError('only plain objects have a canonical form');
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const v = record[key];
        if (v === undefined) throw new EncodingError(`field "${key}" is undefined`);
        if (LONE_SURROGATE.test(key)) throw new EncodingError('key holds a lone surrogate');
        out += (i > 0 ? ',' : '') + JSON.stringify(key) + ':' + write(v, depth + 1);
      }
      return out + '}';
    }
    default:
      throw new EncodingError(`a ${typeof value} has no canonical form`);
  }
}

const encoder = new TextEncoder();
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** The bytes a signature or a hash covers: a purpose tag first, so bytes signed for one purpose never verify for another. */
export function taggedBytes(tag: string, value: unknown): Uint8Array {
  return utf8(`cinema-ledger/v1 ${tag}\n${canonicalJson(value)}`);
}

type Sha256 = (parts: readonly Uint8Array[]) => Uint8Array;

function sha256OfParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return sha256Js(parts[0]);
  const h = sha256Js.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

let sha256Impl: Sha256 = sha256OfParts;
/** Installs a faster SHA-256 with the same answers (Node's native one); see native-crypto.ts. */
export const useSha256 = (impl: Sha256) => void (sha256Impl = impl);

export const sha256 = (...parts: Uint8Array[]): Uint8Array => sha256Impl(parts);

export const sha256Hex = (...parts: Uint8Array[]): string => toHex(sha256(...parts));

const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_DIGITS[bytes[i]];
  return out;
}

const HEX = /^(?:[0-9a-f]{2})*$/;

/** Lower-case, even-length hex only: two spellings of the same bytes would make two ids for one thing. */
export function isHex(text: unknown, byteLength?: number): text is string {
  return typeof text === 'string' && HEX.test(text) && (byteLength === undefined || text.length === byteLength * 2);
}

export function fromHex(text: string): Uint8Array {
  if (!isHex(text)) throw new EncodingError('not lower-case hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
