// The event runner's invocations across a Lambda endpoint that is down for a moment (the local
// gateway restarting): the invocation waits for it instead of spending the event's retries,
// while anything the endpoint does answer is the function's outcome, returned at once.
import http from 'node:http';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { invokeThroughOutage } from '../../infra/local/runner';
import { freePort } from '../support/ports';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A stand-in Lambda endpoint on `port` answering every invocation with `status` and `body`. */
function endpoint(port: number, status: number, body: unknown): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
}

const client = (port: number) => new LambdaClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
const invoke = (lambda: LambdaClient) => () => lambda.send(new InvokeCommand({ FunctionName: 'cinema-local-confirmBooking', Payload: new TextEncoder().encode('{}') }));

describe('invocations while the Lambda endpoint restarts', () => {
  it('waits for an endpoint that refuses connections, then invokes once it is back', async () => {
    const port = await freePort();
    let waits = 0;
    const started = Date.now();
    setTimeout(() => void endpoint(port, 200, { ok: true }), 1_500);
    const res = await invokeThroughOutage(invoke(client(port)), 30_000, () => waits++);
    expect(res.StatusCode).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(res.Payload))).toEqual({ ok: true });
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
    await expect(invokeThroughOutage(invoke(client(port)), 30_000, () => waits++)).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect(waits).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
