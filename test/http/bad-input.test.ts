// Bad input on every route gets a 4xx that says what is wrong, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestStack, signUp, signUpAdmin, type TestStack } from '../support/stack';
import { httpRoutes, type RouteEntry } from '../support/routes';

let stack: TestStack;
let admin: string;
let customer: string;
const routes = httpRoutes();
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  stack = await startTestStack();
  admin = (await signUpAdmin(stack)).token;
  customer = (await signUp(stack.api)).token;
});
afterAll(async () => {
  await stack?.stop();
});

const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, encodeURIComponent(value));

function expectClientError(res: { status: number; body: any }, what: string) {
  expect(res.status, `${what} → ${res.status} ${JSON.stringify(res.body)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(typeof (res.body?.error?.message ?? res.body?.message), what).toBe('string');
  }
}

describe('bad input on every route', () => {
  it('covers a real route table', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
  });

  it('answers malformed JSON with 400 and says so', async () => {
    const withBody = routes.filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method));
    expect(withBody.length).toBeGreaterThanOrEqual(10);
    for (const r of withBody) {
      const res = await stack.api(r.method, fill(r.path, UNKNOWN), { raw: '{"title": "unterminated', token: admin });
      expect({ route: `${r.method} ${r.path}`, status: res.status, message: res.body?.error?.message }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 400,
        message: expect.stringMatching(/^Malformed JSON body: /),
      });
    }
  });

  it('answers a wrong content type with 415 and a huge body with 413', async () => {
    const post = routes.find((r) => r.path === '/movies' && r.method === 'POST')!;
    const wrongType = await stack.api(post.method, post.path, { raw: 'title=x', token: admin, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongType.status).toBe(415);
    const huge = await stack.api(post.method, post.path, { body: { title: 'x'.repeat(200_000), durationMinutes: 90, releaseDate: '2026-01-01' }, token: admin });
    expect(huge.status).toBe(413);
    const enormous = await stack.api(post.method, post.path, { raw: JSON.stringify({ title: 'x'.repeat(3_000_000) }), token: admin });
    expect(enormous.status).toBe(413);
  });

  it('answers unknown ids with 404 and malformed ids with 400', async () => {
    for (const r of routes.filter((r) => r.path.includes('{'))) {
      const unknown = await stack.api(r.method, fill(r.path, UNKNOWN), { token: admin, body: ['PATCH'].includes(r.method) ? { title: 'x' } : undefined });
      expect([404, 400, 422, 409], `${r.method} ${r.path} unknown id → ${unknown.status}`).toContain(unknown.status);
      const malformed = await stack.api(r.method, fill(r.path, "1' OR '1'='1"), { token: admin });
      expect(malformed.status, `${r.method} ${r.path} malformed id`).toBe(400);
      expect(malformed.body.error.message).toMatch(/^Invalid path: \w+: /);
    }
  });

  it('refuses extra and wrongly typed fields, naming them', async () => {
    const extra = await stack.api('POST', '/movies', { token: admin, body: { title: 'T', durationMinutes: 90, releaseDate: '2026-01-01', isAdmin: true } });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body.error)).toMatch(/isAdmin/);
    const wrongType = await stack.api('POST', '/movies', { token: admin, body: { title: 'T', durationMinutes: '90', releaseDate: '2026-01-01' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details.map((d: any) => d.path)).toContain('durationMinutes');
    const missing = await stack.api('POST', '/auth/register', { body: { email: 'a@b.test' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: any) => d.path).sort()).toEqual(['name', 'password']);
  });

  it('never answers 5xx to generated bodies, on any route, signed in or not', async () => {
    const jsonish = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(fc.constantFrom('title', 'email', 'password', 'name', 'movieId', 'hallId', 'startsAt', 'layout', 'prices', 'durationMinutes', 'genres', 'releaseDate', 'token', 'newPassword', 'currentPassword', 'categories', 'rows'), fc.jsonValue({ maxDepth: 2 })),
    );
    const body = fc.oneof(jsonish.map((v) => ({ raw: JSON.stringify(v) })), fc.string({ maxLength: 200 }).map((raw) => ({ raw })));
    const pathValue = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }).filter((s) => s.length > 0 && !s.includes('/')), fc.constant("'; DROP TABLE movies; --"));
    const who = fc.constantFrom<'admin' | 'customer' | 'anonymous'>('admin', 'customer', 'anonymous');
    const query = fc.dictionary(fc.constantFrom('page', 'pageSize', 'search', 'genre', 'date', 'movieId', 'hallId', 'x'), fc.string({ maxLength: 30 }), { maxKeys: 3 });

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, pathValue, who, query, async (r: RouteEntry, b, p, w, q) => {
        const token = w === 'admin' ? admin : w === 'customer' ? customer : undefined;
        const qs = new URLSearchParams(q).toString();
        const path = fill(r.path, p) + (qs ? `?${qs}` : '');
        const t0 = Date.now();
        const res = await stack.api(r.method, path, { raw: ['GET', 'DELETE'].includes(r.method) ? undefined : b.raw, token });
        if (process.env.FUZZ_TRACE) console.log(Date.now() - t0, res.status, r.method, r.path);
        expectClientError(res, `${w} ${r.method} ${path} ${b.raw.slice(0, 80)}`);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 20261124) },
    );
  }, 240_000);
});
