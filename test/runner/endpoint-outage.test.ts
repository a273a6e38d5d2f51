// The event runner's invocations (infra/local/lambda-endpoint.ts) across a Lambda endpoint that
// is down for a moment (the local gateway restarting): the invocation waits for it instead of
// spending the event's retries, while anything the endpoint does answer is the function's
// outcome, returned at once. And the request itself, as serverless-offline's invoke route reads it.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeThroughOutage } from '../../infra/local/runner';
import { lambdaEndpoint, LambdaEndpointRefusal, type LambdaEndpoint } from '../../infra/local/lambda-endpoint';
import { freePort } from '../support/ports';

const servers: http.Server[] = [];
const clients: LambdaEndpoint[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A stand-in Lambda endpoint on `port` answering every invocation with `status`, `body` and `headers`; `seen` gets each request. */
function endpoint(port: number, status: number, body: unknown, headers: Record<string, string> = {}, seen: Seen[] = []): Promise<void> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    });
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
}

const client = (port: number) => {
  const c = lambdaEndpoint(`http://127.0.0.1:${port}`);
  clients.push(c);
  return c;
};
const invoke = (lambda: LambdaEndpoint) => () => lambda.invoke('cinema-local-confirmBooking', '{}');

describe("the runner's call of a function", () => {
  it('posts the event to the function\'s invocations path and returns its answer, on one kept-alive connection', async () => {
    const port = await freePort();
    const seen: Seen[] = [];
    await endpoint(port, 200, { batchItemFailures: [] }, {}, seen);
    const lambda = client(port);
    const event = JSON.stringify({ eventSource: 'aws:rmq', note: 'ü' });
    const first = await lambda.invoke('cinema-local-bookingPaymentSucceeded', event);
    const second = await lambda.invoke('cinema-local-bookingPaymentSucceeded', event);
    expect(first).toEqual({ payload: '{"batchItemFailures":[]}', functionError: undefined });
    expect(second).toEqual(first);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/2015-03-31/functions/cinema-local-bookingPaymentSucceeded/invocations', body: event });
    expect(seen[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse', connection: 'keep-alive' });
    expect(Number(seen[0].headers['content-length'])).toBe(Buffer.byteLength(event));
  });

  it('says when the function failed (X-Amz-Function-Error), with what it answered', async () => {
    const port = await freePort();
    await endpoint(port, 200, { errorMessage: 'no such checkout', errorType: 'Error' }, { 'X-Amz-Function-Error': 'Unhandled' });
    const res = await client(port).invoke('cinema-local-bookingPaymentSucceeded', '{}');
    expect(res.functionError).toBe('Unhandled');
    expect(JSON.parse(res.payload)).toMatchObject({ errorMessage: 'no such checkout' });
  });

  it('refuses an endpoint that is not plain HTTP', () => {
    expect(() => lambdaEndpoint('https://127.0.0.1:3002')).toThrow(/http:\/\//);
  });
});

describe('invocations while the Lambda endpoint restarts', () => {
  it('waits for an endpoint that refuses connections, then invokes once it is back', async () => {
    const port = await freePort();
    let waits = 0;
    const started = Date.now();
    setTimeout(() => void endpoint(port, 200, { ok: true }), 1_500);
    const res = await invokeThroughOutage(invoke(client(port)), 30_000, () => waits++);
    expect(res.functionError).toBeUndefined();
    expect(JSON.parse(res.payload)).toEqual({ ok: true });
    expect(waits).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
  });

  it('gives up after its window, so a missing endpoint still ends as a failed attempt', async () => {
    const port = await freePort();
    await expect(invokeThroughOutage(invoke(client(port)), 800, () => undefined)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('does not try again what the endpoint answered, a service error included', async () => {
    const port = await freePort();
    await endpoint(port, 404, { Type: 'User', message: 'Function not found' });
    let waits = 0;
    const started = Date.now();
    const refused = invokeThroughOutage(invoke(client(port)), 30_000, () => waits++);
    await expect(refused).rejects.toBeInstanceOf(LambdaEndpointRefusal);
    await expect(refused).rejects.toMatchObject({ statusCode: 404, message: /answered 404: .*Function not found/ });
    expect(waits).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
