// How the development identity provider's form endpoints meet HTTP. They speak OAuth's wire,
// not our API's: form-encoded bodies in, HTML pages, redirects and OAuth error objects out,
// so they do not go through route() (a JSON API's onion). What they share with it: a size
// limit on bodies, a log line per request, and nothing internal in a failure's answer.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { MAX_BODY_BYTES, rawBody } from '../../../layers/core/http';
import { log } from '../../../layers/core/log';

export type Answer =
  | { kind: 'html'; status: number; html: string; formAction?: string }
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'redirect'; location: string };

/** The body as form fields, or why it is not one. */
export function formBody(event: APIGatewayProxyEventV2): { form: URLSearchParams } | { problem: string } {
  const type = event.headers?.['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) return { problem: 'the body must be application/x-www-form-urlencoded' };
  const raw = event.body === undefined || event.body === null ? '' : rawBody(event);
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return { problem: `the body is larger than ${MAX_BODY_BYTES} bytes` };
  return { form: new URLSearchParams(raw) };
}

/** Query parameters, each at most once. */
export const queryOf = (event: APIGatewayProxyEventV2): Record<string, string | undefined> => ({ ...event.queryStringParameters });

function write(answer: Answer): APIGatewayProxyResultV2 {
  switch (answer.kind) {
    case 'redirect':
      // 303: after a form's POST the browser follows with a GET
      return { statusCode: 303, headers: { location: answer.location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
    case 'json':
      return { statusCode: answer.status, headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers }, body: JSON.stringify(answer.body) };
    case 'html':
      return {
        statusCode: answer.status,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          // no scripts at all; the form may post only to the provider, which then redirects to the client
          'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${answer.formAction ? ` ${answer.formAction}` : ''}; frame-ancestors 'none'; base-uri 'none'`,
          'x-frame-options': 'DENY',
        },
        body: answer.html,
      };
  }
}

export function providerEndpoint(name: string, handle: (event: APIGatewayProxyEventV2) => Promise<Answer>) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    const started = Date.now();
    try {
      const result = write(await handle(event));
      log.info('dev identity provider answered', { endpoint: name, status: (result as { statusCode: number }).statusCode, ms: Date.now() - started });
      return result;
    } catch (err) {
      log.error('dev identity provider failed', { endpoint: name, err });
      return write({ kind: 'json', status: 500, body: { error: 'server_error', error_description: 'the provider failed' } });
    }
  };
}
