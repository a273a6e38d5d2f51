// The API Gateway (HTTP API, v2) event a handler receives, for benches that invoke handlers
// in-process: a signed-in customer's request carries the authorizer's context, as the gateway adds it.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** the signed-in customer; without it the request is anonymous */
  userId?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

export function httpEvent(method: string, path: string, opts: RequestOptions = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: opts.queryStringParameters ? new URLSearchParams(opts.queryStringParameters).toString() : '',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    pathParameters: opts.pathParameters,
    queryStringParameters: opts.queryStringParameters,
    isBase64Encoded: false,
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      ...(opts.userId ? { authorizer: { lambda: { userId: opts.userId, role: 'customer', sessionId: randomUUID() } } } : {}),
    } as never,
  };
}

/** A customer's `POST /cart/holds`. */
export const holdEvent = (body: unknown, userId: string) => httpEvent('POST', '/cart/holds', { body, userId });

export const lambdaContext = () => ({ awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;
