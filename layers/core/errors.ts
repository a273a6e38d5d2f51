// One error model for the whole platform. Errors below 500 are meant for the client and
// shown as they are; anything else becomes a generic 500 and its detail stays in the log.
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

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const validationFailed = (message: string, details?: unknown) => new HttpError(400, 'validation_failed', message, details);
export const unauthorized = (message = 'Sign in required') => new HttpError(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (message = 'You are not allowed to do this') => new HttpError(403, 'forbidden', message);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new HttpError(409, 'conflict', message, details);
export const gone = (message: string) => new HttpError(410, 'gone', message);
export const payloadTooLarge = (limit: number) => new HttpError(413, 'payload_too_large', `Request body is larger than ${limit} bytes`);
export const unsupportedMediaType = (message: string) => new HttpError(415, 'unsupported_media_type', message);
export const unprocessable = (message: string, details?: unknown) => new HttpError(422, 'unprocessable', message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new HttpError(429, 'too_many_requests', message, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(err: HttpError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } };
}

export const internalErrorBody: ErrorBody = { error: { code: 'internal', message: 'Something went wrong on our side' } };
