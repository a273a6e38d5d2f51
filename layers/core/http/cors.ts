// CORS on every answer, refusals included (its onError runs after the error mapper's).
import httpCors from '@middy/http-cors';
import type { HttpMiddleware } from './request';

export function cors(origin: string): HttpMiddleware {
  return httpCors({ origin, headers: 'authorization,content-type,x-correlation-id', exposeHeaders: 'x-correlation-id,retry-after' }) as HttpMiddleware;
}
