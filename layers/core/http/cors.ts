// CORS on every answer, refusals included (its onError runs after the error mapper's). The
// origin is one configured value, so the headers are the same on every answer: built once
// and added to the answer's own. (@middy/http-cors copied every answer's headers with
// structuredClone and worked the same headers out again per request: the largest layer of
// the onion in a profile of the seat bench.) The gateway answers preflight requests.
import type { HttpMiddleware, HttpResult } from './request';

export function cors(origin: string): HttpMiddleware {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Headers': 'authorization,content-type,x-correlation-id',
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'x-correlation-id,retry-after',
  };
  const addHeaders: NonNullable<HttpMiddleware['after']> = async (request) => {
    // every answer of the onion is an object (reply.ts); an answer's own header of the same name is kept
    const response = request.response as Exclude<HttpResult, string> | undefined;
    if (response) response.headers = { ...headers, ...response.headers };
  };
  return { after: addHeaders, onError: addHeaders };
}
