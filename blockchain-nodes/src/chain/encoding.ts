import { createHash } from 'node:crypto';

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

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export const sha256Hex = (...parts: Uint8Array[]): string => toHex(sha256(...parts));

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const HEX = /^(?:[0-9a-f]{2})*$/;

/** Lower-case, even-length hex only: two spellings of the same bytes would make two ids for one thing. */
export function isHex(text: unknown, byteLength?: number): text is string {
  return typeof text === 'string' && HEX.test(text) && (byteLength === undefined || text.length === byteLength * 2);
}

export function fromHex(text: string): Uint8Array {
  if (!isHex(text)) throw new EncodingError('not lower-case hex');
  return new Uint8Array(Buffer.from(text, 'hex'));
}
