// The web app's static files as HTTP answers: which file a path names, its content type,
// and how long it may be cached. Pure; the handler reads the files.
import { createHash } from 'node:crypto';

export type Page = 'index.html' | 'test-provider.html' | 'docs.html';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
};

/** An asset's name: one path segment of plain characters, so nothing outside assets/ can be named. */
export const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function contentTypeOf(file: string): string | undefined {
  return TYPES[file.slice(file.lastIndexOf('.') + 1).toLowerCase()];
}

const isText = (type: string) => /^text\/|json|svg/.test(type);

/**
 * esbuild names bundles `<name>-<content hash>.<ext>`: such a file never changes, so it may be
 * cached for a year; the pages that name them must be asked for every time.
 */
export function cacheControlOf(file: string): string {
  if (/-[A-Z0-9]{8}\.(js|css)$/.test(file)) return 'public, max-age=31536000, immutable';
  if (file.endsWith('.html')) return 'no-cache';
  return 'public, max-age=3600';
}

// The pages load only what we serve. They talk to us, and the explorer reads the chain from
// whichever replica the auditor names (replicas answer reads to any origin): connect-src allows
// http(s) for that; script-src 'self' is what keeps foreign code out, and our session token is
// only ever sent to our own origin.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

export interface FileReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/** The answer for `file`'s content, or a 304 when the caller's copy (If-None-Match) is current. */
export function fileReply(file: string, content: Buffer, ifNoneMatch: string | undefined): FileReply {
  const type = contentTypeOf(file) ?? 'application/octet-stream';
  const etag = `"${createHash('sha256').update(content).digest('base64url').slice(0, 22)}"`;
  const headers: Record<string, string> = { 'content-type': type, 'cache-control': cacheControlOf(file), etag, 'x-content-type-options': 'nosniff', ...(file.endsWith('.html') ? PAGE_HEADERS : {}) };
  if (ifNoneMatch === etag) return { statusCode: 304, headers, body: '', isBase64Encoded: false };
  return isText(type) ? { statusCode: 200, headers, body: content.toString('utf8'), isBase64Encoded: false } : { statusCode: 200, headers, body: content.toString('base64'), isBase64Encoded: true };
}
