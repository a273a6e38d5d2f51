// What a hostile trial of the running platform found, each shown fixed over the real stack
// (gateway, event runner, RabbitMQ): a showtime the domains disagreed on, the Lambda
// endpoint's stack traces, an echoed correlation id, and the payments a declined card or a
// second checkout left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { scheduleShowtime, LAYOUT } from '../support/flow';
import { httpRoutes } from '../support/routes';
import { ROOT } from '../../infra/local/gateway';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
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
  // the routes' functions, the consumers, the internal ones and the local development identity provider's
  const devIdp = Object.keys((parseYaml(readFileSync(join(ROOT, 'functions/auth/dev-idp/functions.yml'), 'utf8')) as { offline: object }).offline);
  const functions = [...new Set([...httpRoutes().map((r) => r.fn), ...CONSUMER_QUEUES.map(consumerFunction), 'checkoutForPayment', 'customerDirectory', 'paymentFigures', 'authorizer', ...devIdp])];
  const payloads = [
    '{}',
    'null',
    '"a string"',
    '[1, 2]',
    JSON.stringify({ eventSource: 'aws:rmq', rmqMessagesByQueue: { 'q::/': [{ basicProperties: { correlationId: 'forged-1' }, redelivered: false, data: Buffer.from('not an event').toString('base64') }] } }),
    JSON.stringify({ Records: [{ messageId: 'm1', body: '{"id": 1}', messageAttributes: {} }] }),
  ];
  // what a stack trace leaks: frames, our files and packages
  const TRACE = /\bat [\w.<>]+ \(|\bat file:|\.ts:\d+|\.js:\d+|node_modules/;

  it('answers a failing invocation of any function without a stack trace, still as a failure', async () => {
    expect(functions.length).toBeGreaterThan(40);
    for (const fn of functions) {
      for (const payload of payloads) {
        const res = await invoke(fn, payload);
        const leaks = TRACE.test(res.text) || res.text.includes(ROOT);
        expect({ fn, payload, leaks: leaks ? res.text.slice(0, 300) : false }).toEqual({ fn, payload, leaks: false });
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

describe('payments after a declined card, and checkouts of the same holds', () => {
  const GOOD = '4242424242424242';
  const DECLINED = '4000000000000002';
  const paymentOf = async (token: string, id: string) => (await stack.api('GET', `/payments/${id}`, { token })).body;

  it('after a declined card, offers no next action on the failed payment and makes a new attempt for the same checkout', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    expect((await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['B1', 'B2'] } })).status).toBe(201);
    const checkoutId = (await stack.api('POST', '/cart/checkout', { token: customer.token, body: { showtimeId } })).body.checkout.id;

    const first = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId } });
    expect(first.status).toBe(201);
    const declined = await stack.api('POST', first.body.nextAction.url, { body: { cardNumber: DECLINED } });
    expect(declined.body).toMatchObject({ outcome: 'failed', reason: 'card declined' });
    const failed = await paymentOf(customer.token, first.body.payment.id);
    expect(failed).toMatchObject({ payment: { status: 'failed', failureReason: 'card declined' }, nextStep: { canPay: false, message: expect.stringMatching(/new payment for the same checkout/) } });

    // trying again: a new attempt with its own provider session, which can be paid
    const again = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId } });
    expect(again.status).toBe(201);
    expect(again.body.payment).toMatchObject({ checkoutId, status: 'pending', amount: 2000 });
    expect(again.body.payment.id).not.toBe(first.body.payment.id);
    expect(again.body.nextAction.url).not.toBe(first.body.nextAction.url);
    expect((await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId } })).body.payment.id).toBe(again.body.payment.id);
    const paid = await stack.api('POST', again.body.nextAction.url, { body: { cardNumber: GOOD } });
    expect(paid.body).toMatchObject({ outcome: 'succeeded', webhookStatus: 200 });
    const booking = await eventually(async () => (await stack.db.pool('booking').query('SELECT * FROM bookings WHERE checkout_id = $1', [checkoutId])).rows[0], 20_000, 'the booking');
    expect(booking).toMatchObject({ payment_id: again.body.payment.id, seats: ['B1', 'B2'], status: 'confirmed' });

    // paid: asking again returns the paid attempt with nothing left to do
    const done = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId } });
    expect([done.status, done.body.payment.id, done.body.nextAction, done.body.nextStep.canPay]).toEqual([200, again.body.payment.id, null, false]);
    const attempts = (await stack.db.pool('payment').query('SELECT status FROM payments WHERE checkout_id = $1 ORDER BY created_at', [checkoutId])).rows.map((r) => r.status);
    expect(attempts).toEqual(['failed', 'succeeded']);
  });

  it('answers a second checkout of the same holds with the open one, so the seats are paid once', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['A3', 'A4'] } });
    const first = await stack.api('POST', '/cart/checkout', { token: customer.token, body: { showtimeId } });
    const second = await stack.api('POST', '/cart/checkout', { token: customer.token, body: { showtimeId } });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.checkout).toMatchObject({ id: first.body.checkout.id, seats: ['A3', 'A4'], status: 'open' });
    const p1 = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: first.body.checkout.id } });
    const p2 = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: second.body.checkout.id } });
    expect(p2.body.payment.id).toBe(p1.body.payment.id);
    const open = await stack.db.pool('booking').query(`SELECT count(*)::int AS n FROM checkouts WHERE user_id = $1 AND status = 'open'`, [customer.user.id]);
    expect(open.rows[0].n).toBe(1);
  });

  it('refunds a replaced checkout paid all the same, and the customer sees why; the new one is paid and booked', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['C1', 'C2'] } });
    const old = (await stack.api('POST', '/cart/checkout', { token: customer.token, body: { showtimeId } })).body.checkout;
    const oldPayment = (await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: old.id } })).body;

    // the customer changes the cart and checks out again: the old checkout is replaced
    expect((await stack.api('DELETE', `/cart/holds/${showtimeId}/C2`, { token: customer.token })).status).toBeLessThan(300);
    const fresh = await stack.api('POST', '/cart/checkout', { token: customer.token, body: { showtimeId } });
    expect([fresh.status, fresh.body.checkout.seats]).toEqual([201, ['C1']]);
    // its pending attempt is no longer offered: it cannot become a booking
    const replaced = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: old.id } });
    expect([replaced.status, replaced.body.error.message, replaced.body.error.details]).toEqual([409, expect.stringMatching(/replaced by a newer one/), { checkoutId: old.id, checkoutStatus: 'superseded' }]);

    // paid on the provider's page all the same (the customer had it open): rejected, refunded, with the reason on the payment
    expect((await stack.api('POST', oldPayment.nextAction.url, { body: { cardNumber: GOOD } })).body.outcome).toBe('succeeded');
    const refunded = await eventually(async () => {
      const p = await paymentOf(customer.token, oldPayment.payment.id);
      return p.payment.status === 'refunded' ? p : undefined;
    }, 20_000, 'the refund');
    expect(refunded.payment.refund).toMatchObject({ amount: 3000, reason: expect.stringMatching(/checked out again with other seats/) });
    expect(refunded.nextStep.message).toMatch(/^Refunded: you checked out again/);

    // a replaced checkout with no payment yet is refused by name
    await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['C5'] } });
    const newest = (await stack.api('POST', '/cart/checkout', { token: customer.token, body: { showtimeId } })).body.checkout;
    const stale = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: fresh.body.checkout.id } });
    expect([stale.status, stale.body.error.message, stale.body.error.details]).toEqual([409, expect.stringMatching(/replaced by a newer one/), { checkoutId: fresh.body.checkout.id, checkoutStatus: 'superseded' }]);

    // the newest checkout is the one to pay: booked
    const payment = (await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: newest.id } })).body;
    expect((await stack.api('POST', payment.nextAction.url, { body: { cardNumber: GOOD } })).body.outcome).toBe('succeeded');
    const booking = await eventually(async () => (await stack.db.pool('booking').query('SELECT * FROM bookings WHERE checkout_id = $1', [newest.id])).rows[0], 20_000, 'the booking');
    expect(booking.seats.sort()).toEqual(['C1', 'C5']);
  });

  it("shows a cancelled booking's reason, and the same reason on its refund", async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['A7'] } });
    const co = (await stack.api('POST', '/cart/checkout', { token: customer.token, body: { showtimeId } })).body.checkout;
    const payment = (await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: co.id } })).body;
    await stack.api('POST', payment.nextAction.url, { body: { cardNumber: GOOD } });
    const booking = await eventually(async () => (await stack.db.pool('booking').query('SELECT id FROM bookings WHERE checkout_id = $1', [co.id])).rows[0], 20_000, 'the booking');
    const cancelled = await stack.api('POST', `/bookings/${booking.id}/cancel`, { token: customer.token });
    expect(cancelled.body.booking).toMatchObject({ status: 'cancelled', cancelReason: expect.any(String) });
    const refunded = await eventually(async () => {
      const p = await paymentOf(customer.token, payment.payment.id);
      return p.payment.status === 'refunded' ? p : undefined;
    }, 20_000, 'the refund');
    expect(refunded.payment.refund.reason).toBe(cancelled.body.booking.cancelReason);
  });
});
