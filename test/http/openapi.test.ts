// The API's description, served and used: GET /openapi.json and the reference at /docs, our
// JSON 404 for a path that is no route (and no real route shadowed by it), and a purchase made
// by a generated OpenAPI client (openapi-fetch, types by openapi-typescript) that knows the
// API from the document alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../../web/shared/api-schema';
import { startTestStack, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { answerChecker, loadApiDocument, recordAnswerCounts } from '../support/openapi';
import { LAYOUT } from '../support/flow';
import { buildTestWebApp } from '../support/browser';

let stack: TestStack;
let admin: string;
let web: Awaited<ReturnType<typeof buildTestWebApp>>;
// the generated client's answers are held to the document too
const checkAnswer = answerChecker(loadApiDocument());
const checked: Middleware = {
  async onResponse({ request, response }) {
    const text = await response.clone().text();
    let body: unknown = text || undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* a page */
    }
    checkAnswer(request.method, request.url, response.status, body);
  },
};

beforeAll(async () => {
  web = await buildTestWebApp();
  stack = await startTestStack({ WEB_DIST_DIR: web.dir }, { events: true });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  recordAnswerCounts(checkAnswer.counts());
  await stack?.stop();
  web?.remove();
});

describe('the API description, served', () => {
  it('GET /openapi.json answers the committed document, OpenAPI 3.1', async () => {
    const res = await fetch(`${stack.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const served = await res.json();
    expect(served.openapi).toMatch(/^3\.1\./);
    expect(served).toEqual(loadApiDocument());
  });

  it('GET /docs is the API reference page, its renderer served by us (no CDN)', async () => {
    const res = await stack.api('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const scripts = [...String(res.body).matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['/assets/favicon.svg', '/assets/swagger-ui.css', '/assets/swagger-ui-bundle.js', '/assets/docs-init.js']);
    for (const src of scripts) expect((await stack.api('GET', src)).status, src).toBe(200);
    expect((await stack.api('GET', '/assets/docs-init.js')).body).toContain("url: '/openapi.json'");
  });

  it('a path that is no route answers our JSON 404, whatever the method; real routes are not shadowed', async () => {
    for (const [method, path] of [
      ['GET', '/no-such-thing'],
      ['POST', '/movies/1/2/3'],
      ['PUT', '/movies'],
      ['DELETE', '/openapi'],
      ['GET', '/movies/upcoming/soon'],
    ]) {
      const res = await stack.api(method, path);
      expect({ method, path, status: res.status, type: res.headers.get('content-type'), code: res.body?.error?.code, message: res.body?.error?.message }).toEqual({
        method,
        path,
        status: 404,
        type: expect.stringMatching(/^application\/json/),
        code: 'not_found',
        message: `Route ${method} ${path} not found`,
      });
      expect(res.headers.get('x-correlation-id')).toMatch(/\S/);
    }
    expect((await stack.api('GET', '/movies')).status).toBe(200);
    expect((await stack.api('GET', '/movies/upcoming')).status).toBe(200);
    expect((await stack.api('GET', '/cart')).status).toBe(401);
  });
});

describe('the document held true', () => {
  it('a real answer whose status the document does not list fails the check', async () => {
    const missing = await stack.api('GET', '/movies/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    // the same answer against a document that forgot the route's 404
    const forgetful = loadApiDocument();
    delete forgetful.paths['/movies/{id}'].get.responses['404'];
    expect(() => answerChecker(forgetful)('GET', '/movies/00000000-0000-4000-8000-000000000000', missing.status, missing.body)).toThrow(
      /GET \/movies\/\{id\} answered 404, which the document does not list/,
    );
  });
});

describe('a generated OpenAPI client', () => {
  it('completes a purchase with nothing but the document: sign up, hold, checkout, pay with the test provider, booking confirmed', async () => {
    const client = createClient<paths>({ baseUrl: stack.url });
    client.use(checked);
    const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

    // the programme, as an operator schedules it
    const tag = Date.now();
    const hall = await client.POST('/halls', { ...as(admin), body: { name: `Hall ${tag}`, layout: LAYOUT } });
    const movie = await client.POST('/movies', { ...as(admin), body: { title: `Movie ${tag}`, durationMinutes: 100, releaseDate: '2026-01-01' } });
    const showtime = await client.POST('/showtimes', {
      ...as(admin),
      body: { movieId: movie.data!.movie.id, hallId: hall.data!.hall.id, startsAt: new Date(Date.now() + 2 * 24 * 3600_000).toISOString() },
    });
    expect(showtime.response.status, JSON.stringify(showtime.error)).toBe(201);
    const showtimeId = showtime.data!.showtime.id;

    // a customer signs up and in
    const email = `openapi-${tag}@example.test`;
    const registered = await client.POST('/auth/register', { body: { email, password: 'correct horse battery', name: 'Client Customer' } });
    expect(registered.response.status).toBe(201);
    const login = await client.POST('/auth/login', { body: { email, password: 'correct horse battery' } });
    expect(login.error).toBeUndefined();
    const me = as(login.data!.token);

    // holds two seats (booking hears of the showtime by an event: until then, 404)
    const hold = await eventually(async () => {
      const res = await client.POST('/cart/holds', { ...me, body: { showtimeId, seats: ['C1', 'C2'] } });
      return res.response.status === 201 ? res : undefined;
    }, 15_000, 'the hold');
    expect(hold.data!.cart.total).toBe(3000);

    // checks out: the amount is the server's
    const checkout = await client.POST('/cart/checkout', { ...me, body: { showtimeId } });
    expect(checkout.response.status).toBe(201);
    expect(checkout.data!.checkout).toMatchObject({ amount: 3000, seats: ['C1', 'C2'] });

    // pays: the payment names the provider's session, the test provider charges a test card
    const payment = await client.POST('/payments', { ...me, body: { checkoutId: checkout.data!.checkout.id } });
    expect(payment.response.status).toBe(201);
    const { payment: started, nextAction } = payment.data!;
    expect(nextAction?.testCards).toContain('4242424242424242');
    const session = await client.GET('/test-provider/sessions/{sessionId}', { params: { path: { sessionId: started.providerSessionId } } });
    expect(session.data).toMatchObject({ amount: 3000, status: 'open' });
    const paid = await client.POST('/test-provider/sessions/{sessionId}/pay', { params: { path: { sessionId: started.providerSessionId } }, body: { cardNumber: '4242424242424242' } });
    expect(paid.data).toMatchObject({ outcome: 'succeeded', webhookStatus: 200 });

    // the booking is confirmed
    const booking = await eventually(async () => {
      const res = await client.GET('/bookings', { ...me, params: { query: { page: 1, pageSize: 10 } } });
      return res.data?.items[0]?.status === 'confirmed' ? res.data.items[0] : undefined;
    }, 20_000, 'the booking confirmed');
    expect(booking).toMatchObject({ showtimeId, paymentId: started.id, seats: ['C1', 'C2'], amount: 3000 });
    const one = await client.GET('/bookings/{id}', { ...me, params: { path: { id: booking.id } } });
    expect(one.data!.booking.status).toBe('confirmed');
    expect(checkAnswer.counts().checked).toBeGreaterThanOrEqual(12);
  });
});
