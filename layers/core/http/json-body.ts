// The body, parsed as JSON once its size and type are known to be acceptable. Every route
// goes through it, so a body that is too large or not JSON is refused even where none is
// expected.
import { InvalidInput } from '../errors';
import { payloadTooLarge, unsupportedMediaType } from './errors';
import { routeState, type HttpEvent, type HttpMiddleware } from './request';

export const MAX_BODY_BYTES = 64 * 1024;

/** The body as the client sent it (what a signature is computed over). */
export function rawBody(event: HttpEvent): string {
  const body: unknown = event.body;
  // API Gateway always hands over a string; serverless-offline hands over falsy JSON values as they are.
  if (typeof body !== 'string') return JSON.stringify(body ?? '');
  return event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
}

export function parseJsonBody(event: HttpEvent, limit: number): unknown {
  const body: unknown = event.body;
  if (body === undefined || body === null || body === '') return undefined;
  const raw = rawBody(event);
  if (Buffer.byteLength(raw) > limit) throw payloadTooLarge(limit);
  const type = event.headers?.['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw unsupportedMediaType('Request body must be JSON (Content-Type: application/json)');
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new InvalidInput(`Malformed JSON body: ${(err as Error).message}`);
  }
}

export function jsonBody(opts: { limit: number } = { limit: MAX_BODY_BYTES }): HttpMiddleware {
  return {
    before: async (request) => {
      routeState(request.context).parsedBody = parseJsonBody(request.event, opts.limit);
    },
  };
}
