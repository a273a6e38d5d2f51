// The one place where a refusal becomes an HTTP answer. A domain error gets its status, our
// JSON error `{error: {code, message, details?}}` and the headers that go with it; the HTTP
// layer's own refusals (a body too large, not JSON) are HttpErrors. Anything else is our
// fault: a generic 500, its detail in the log only.
import { DomainError, TooManyTries, Unavailable, type DomainErrorKind } from '../errors';
import { respond } from './reply';
import { routeState, type HttpMiddleware } from './request';

/** A refusal that only HTTP has words for. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const payloadTooLarge = (limit: number) => new HttpError(413, 'payload_too_large', `Request body is larger than ${limit} bytes`);
export const unsupportedMediaType = (message: string) => new HttpError(415, 'unsupported_media_type', message);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface Refusal {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

const asHttp: Record<DomainErrorKind, (err: DomainError) => { status: number; code: string; headers?: Record<string, string> }> = {
  'invalid-input': () => ({ status: 400, code: 'bad_request' }),
  'validation-failed': () => ({ status: 400, code: 'validation_failed' }),
  'not-signed-in': () => ({ status: 401, code: 'unauthorized', headers: { 'www-authenticate': 'Bearer' } }),
  'not-allowed': () => ({ status: 403, code: 'forbidden' }),
  'not-found': () => ({ status: 404, code: 'not_found' }),
  conflict: () => ({ status: 409, code: 'conflict' }),
  gone: () => ({ status: 410, code: 'gone' }),
  'rule-broken': () => ({ status: 422, code: 'unprocessable' }),
  'too-many-tries': (err) => ({ status: 429, code: 'too_many_requests', headers: { 'retry-after': String((err as TooManyTries).retryAfterSeconds) } }),
  unavailable: (err) => ({ status: 503, code: 'unavailable', headers: { 'retry-after': String((err as Unavailable).retryAfterSeconds) } }),
};

const bodyOf = (code: string, message: string, details: unknown): ErrorBody => ({ error: { code, message, ...(details === undefined ? {} : { details }) } });

/** What the client is told about `err`, or undefined when it is not the client's to know. */
export function refusalOf(err: unknown): Refusal | undefined {
  if (err instanceof DomainError) {
    const { status, code, headers } = asHttp[err.kind](err);
    return { status, body: bodyOf(code, err.message, err.details), headers };
  }
  if (err instanceof HttpError && err.status < 500) return { status: err.status, body: bodyOf(err.code, err.message, err.details), headers: err.headers };
  return undefined;
}

export const internalErrorBody: ErrorBody = { error: { code: 'internal', message: 'Something went wrong on our side' } };

export function errorMapper(): HttpMiddleware {
  return {
    onError: async (request) => {
      const state = routeState(request.context);
      const refusal = refusalOf(request.error);
      if (refusal) {
        state.log.info('request refused', { status: refusal.status, code: refusal.body.error.code, message: refusal.body.error.message });
        request.response = respond(refusal, state.correlationId);
      } else {
        state.log.error('request failed', { err: request.error });
        request.response = respond({ status: 500, body: internalErrorBody }, state.correlationId);
      }
    },
  };
}
