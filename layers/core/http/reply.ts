// What a handler answers, and how it goes out: JSON, with the request's correlation id.
import type { HttpResult } from './request';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown, location?: string): Reply => ({ status: 201, body, headers: location ? { location } : undefined });
export const accepted = (body: unknown): Reply => ({ status: 202, body });
export const noContent = (): Reply => ({ status: 204 });
/** A file to download (an export), sent as it is with its type and name. */
export const attachment = (text: string, contentType: string, filename: string): Reply => ({
  status: 200,
  body: text,
  headers: { 'content-type': contentType, 'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"` },
});

export function respond(reply: Reply, correlationId: string): HttpResult {
  const headers: Record<string, string> = { 'x-correlation-id': correlationId, ...reply.headers };
  if (reply.body === undefined) return { statusCode: reply.status, headers };
  if (typeof reply.body === 'string' && headers['content-type']) return { statusCode: reply.status, headers, body: reply.body };
  headers['content-type'] = 'application/json; charset=utf-8';
  return { statusCode: reply.status, headers, body: JSON.stringify(reply.body) };
}
