// Fixtures for the HTTP layer's unit tests: an API Gateway v2 event as the gateway hands it
// over (cloned and altered per case), a fresh Lambda context, and a logger that keeps its lines.
import type { Context } from 'aws-lambda';
import type { Logger } from '../log';
import type { HttpEvent, HttpRequest } from '../http/request';

export function gatewayEvent(over: Partial<HttpEvent> & { authorizer?: Record<string, unknown> } = {}): HttpEvent {
  const { authorizer, ...rest } = over;
  return {
    version: '2.0',
    routeKey: 'POST /movies',
    rawPath: '/movies',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: 'offline',
      apiId: 'offline',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      requestId: 'request-1',
      routeKey: 'POST /movies',
      stage: '$default',
      time: '01/Dec/2026:09:00:00 +0000',
      timeEpoch: 0,
      http: { method: 'POST', path: '/movies', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
      ...(authorizer ? { authorizer: { lambda: authorizer } } : {}),
    },
    ...rest,
  } as HttpEvent;
}

export const lambdaContext = () => ({ functionName: 'test', awsRequestId: 'aws-1' }) as unknown as Context;

export function middyRequest(event: HttpEvent, context: Context = lambdaContext()): HttpRequest {
  return { event, context, response: null, error: null, internal: {} };
}

export interface Line {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

export function recordingLogger(lines: Line[] = [], base: Record<string, unknown> = {}): Logger & { lines: Line[] } {
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, fields: { ...base, ...fields } });
  };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => recordingLogger(lines, { ...base, ...fields }),
  };
}
