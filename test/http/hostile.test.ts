// What a hostile trial of the running platform found, each shown fixed over the real stack
// (gateway, event runner, RabbitMQ): a showtime the domains disagreed on, the Lambda
// endpoint's stack traces, an echoed correlation id, and the payments a declined card or a
// second checkout left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { scheduleShowtime, LAYOUT } from '../support/flow';
import { httpRoutes } from '../support/routes';
import { CONSUMER_QUEUES, consumerFunction } from '../../layers/contracts/consumers';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({}, { events: true });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await stack?.stop();
});

describe('one definition of a valid showtime time, for catalog and booking', () => {
  it('refuses a showtime in year 9999 or past the calendar with 400, and one that catalog takes can be held', async () => {
    const hall = await stack.api('POST', '/halls', { token: admin, body: { name: `Hall ${randomUUID()}`, layout: LAYOUT } });
    const movie = await stack.api('POST', '/movies', { token: admin, body: { title: 'Far ahead', durationMinutes: 120, releaseDate: '2026-01-01' } });
    const schedule = (startsAt: string) => stack.api('POST', '/showtimes', { token: admin, body: { movieId: movie.body.movie.id, hallId: hall.body.hall.id, startsAt } });

    for (const startsAt of ['9999-12-31T23:00:00Z', '2100-01-01T00:00:00Z', '2150-06-01T20:00:00+02:00']) {
      const refused = await schedule(startsAt);
      expect({ startsAt, status: refused.status, paths: refused.body.error.details.map((d: any) => d.path) }).toEqual({ startsAt, status: 400, paths: [expect.stringMatching(/^(body\.)?startsAt$/)] });
    }
    // the latest start the rule allows: catalog schedules it, booking takes its event, a customer holds a seat
    const last = await schedule('2099-12-31T22:00:00Z');
    expect(last.status).toBe(201);
    const showtimeId = last.body.showtime.id;
    await eventually(async () => ((await stack.db.pool('booking').query('SELECT 1 FROM showtimes WHERE id = $1', [showtimeId])).rowCount ? true : undefined), 15_000, 'booking to hear of the showtime');
    const customer = await signUp(stack.api);
    const hold = await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['A1'] } });
    expect(hold.status).toBe(201);
  });
});

describe('the local Lambda endpoint', () => {
  const invoke = async (fn: string, payload: string) => {
    const res = await fetch(`${stack.gateway.lambdaUrl}/2015-03-31/functions/cinema-local-${fn}/invocations`, { method: 'POST', body: payload });
    return { status: res.status, failed: res.headers.get('x-amz-function-error'), text: await res.text() };
  };
  const functions = [...new Set([...httpRoutes().map((r) => r.fn), ...CONSUMER_QUEUES.map(consumerFunction), 'checkoutForPayment', 'authorizer'])];
  const payloads = [
    '{}',
    'null',
    '"a string"',
    '[1, 2]',
    JSON.stringify({ eventSource: 'aws:rmq', rmqMessagesByQueue: { 'q::/': [{ basicProperties: { correlationId: 'forged-1' }, redelivered: false, data: Buffer.from('not an event').toString('base64') }] } }),
    JSON.stringify({ Records: [{ messageId: 'm1', body: '{"id": 1}', messageAttributes: {} }] }),
  ];
  // what a stack trace leaks: frames, our files and packages
  const TRACE = /\bat [\w.<>]+ \(|\bat file:|\.ts:\d+|\.js:\d+|node_modules|\/work\//;

  it('answers a failing invocation of any function without a stack trace, still as a failure', async () => {
    expect(functions.length).toBeGreaterThan(40);
    for (const fn of functions) {
      for (const payload of payloads) {
        const res = await invoke(fn, payload);
        expect({ fn, payload, leaks: TRACE.test(res.text) ? res.text.slice(0, 300) : false }).toEqual({ fn, payload, leaks: false });
      }
    }
  });

  it('says which correlation id the log has the failure under, and the invoker still learns it failed', async () => {
    const res = await invoke('bookingPaymentSucceeded', payloads[4]);
    expect(res.failed).toBe('Unhandled');
    const answer = JSON.parse(res.text);
    const message = 'booking-payment-succeeded failed (correlation id forged-1); the detail is in its log';
    // serverless-offline sends the error's stack as `trace`: it is the message, and nothing of our code
    expect(answer).toEqual({ errorMessage: message, errorType: 'Error', trace: [`InvocationFailed: ${message}`] });
    expect(stack.gateway.output()).toMatch(/"msg":"invocation failed".*"correlationId":"forged-1"/);
  });
});

describe('x-correlation-id', () => {
  it('is echoed only when it has a sane shape; otherwise the answer carries a fresh one', async () => {
    const kept = await stack.api('GET', '/movies', { headers: { 'x-correlation-id': 'trace-42:a.b_c' } });
    expect(kept.headers.get('x-correlation-id')).toBe('trace-42:a.b_c');
    for (const bad of ['x'.repeat(65), '<script>alert(1)</script>', 'a b', 'abc;def', '%0d%0aset-cookie:x']) {
      const res = await stack.api('GET', '/movies', { headers: { 'x-correlation-id': bad } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-correlation-id'), bad).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
