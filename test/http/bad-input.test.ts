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

/** Percent-encoded as a hostile client would send it: a lone surrogate as its WTF-8 bytes (encodeURIComponent would throw). */
const uriPart = (value: string) =>
  value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[^\uD800-\uDFFF]+|[\uD800-\uDBFF][\uDC00-\uDFFF]/g, (part) =>
    part.length === 1 && part >= '\uD800' && part <= '\uDFFF'
      ? [0xe0 | (part.charCodeAt(0) >> 12), 0x80 | ((part.charCodeAt(0) >> 6) & 0x3f), 0x80 | (part.charCodeAt(0) & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
      : encodeURIComponent(part),
  );
const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, uriPart(value));
const queryString = (q: Record<string, string>) => Object.entries(q).map(([k, v]) => `${uriPart(k)}=${uriPart(v)}`).join('&');

function expectClientError(res: { status: number; body: any }, what: string) {
  expect(res.status, `${what} → ${res.status} ${JSON.stringify(res.body)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(typeof (res.body?.error?.message ?? res.body?.message), what).toBe('string');
  }
}

// hostile values: NUL, lone surrogates, control characters, over-long text, dates out of
// range or impossible, numbers beyond what any column holds; mixed into plain strings
const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('\u0000', '\uD800', '\uDFFF', '\u0007', '\u001B[31m', '\u007F', '\u0085', '\r\n', '0000-01-01', '9999-12-31', '9999-12-31T23:00:00Z', '+010000-01-01T00:00:00Z', '2026-02-30', '2026-13-01T00:00:00Z', 'x'.repeat(12_000)) },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\uD83D', '\u0001'), fc.string({ maxLength: 10 })).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);
const hostileNumber = fc.constantFrom(1e308, -1e308, 2 ** 53, 2 ** 31, -(2 ** 31) - 1, 0.5, -0, Number.MAX_SAFE_INTEGER);
const field = fc.constantFrom('title', 'email', 'password', 'name', 'movieId', 'hallId', 'startsAt', 'layout', 'prices', 'durationMinutes', 'genres', 'releaseDate', 'token', 'newPassword', 'currentPassword', 'categories', 'rows', 'seats', 'showtimeId', 'checkoutId', 'cardNumber', 'description');
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(field, fc.jsonValue({ maxDepth: 2 })),
  fc.dictionary(field, fc.oneof(hostileText, hostileNumber, fc.array(hostileText, { maxLength: 2 }))),
);
const body = fc.oneof(
  jsonish.map((v) => ({ raw: JSON.stringify(v) })),
  fc.string({ maxLength: 200 }).map((raw) => ({ raw })),
  fc.tuple(field, fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '"\\ud800"', '"\\u0000"')).map(([k, v]) => ({ raw: `{"${k}":${v}}` })),
);
const queryName = fc.constantFrom('page', 'pageSize', 'search', 'genre', 'date', 'movieId', 'hallId', 'showtimeId', 'returnTo', 'x');
// what PostgreSQL itself refuses (a NUL, year 0) comes up most often
const hostileQueryValue = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\u0000', '0000-01-01', '\u0007', '\uD800'), fc.string({ maxLength: 8 })).map((p) => (p[1].startsWith('0000') ? p[1] : p.join(''))) },
  { weight: 1, arbitrary: hostileText.filter((s) => s.length < 600) },
);
const pathValue = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }).filter((s) => s.length > 0 && !s.includes('/')), fc.constant("'; DROP TABLE movies; --"), hostileText.filter((s) => s.length > 0 && s.length < 300 && !s.includes('/')));

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

  // The plain-input rule (layers/core/http/plain-input.ts), on every route built with route().
  const ruled = routes.filter((r) => r.throughRoute);
  const withBodies = ruled.filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method));
  const issuePaths = (res: { body: any }) => (res.body?.error?.details ?? []).map((d: any) => d.path);

  it('refuses bad text in a path parameter on every route, naming it', async () => {
    const withParams = ruled.filter((r) => r.path.includes('{'));
    expect(withParams.length).toBeGreaterThanOrEqual(15);
    for (const r of withParams) {
      const names = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => `path.${m[1]}`);
      for (const bad of ['a\u0000b', 'a\u0007b', '0000-01-01']) {
        const res = await stack.api(r.method, fill(r.path, bad), { token: admin });
        expect({ route: `${r.method} ${r.path}`, bad, status: res.status, paths: issuePaths(res) }).toEqual({ route: `${r.method} ${r.path}`, bad, status: 400, paths: names });
      }
    }
  });

  it('refuses a NUL, a control character, an impossible date or year 9999 in a query parameter on every route, naming it', async () => {
    for (const r of ruled) {
      for (const [name, bad] of [['date', '0000-01-01'], ['date', '9999-12-31'], ['search', 'a\u0000b'], ['search', 'a\nb'], ['movieId', 'a\u007Fb'], ['page', 'x'.repeat(501)]]) {
        const qs = queryString({ [name]: bad });
        const res = await stack.api(r.method, `${fill(r.path, UNKNOWN)}?${qs}`, { token: admin });
        expect({ route: `${r.method} ${r.path}`, qs, status: res.status, paths: issuePaths(res) }).toEqual({ route: `${r.method} ${r.path}`, qs, status: 400, paths: [`query.${name}`] });
      }
    }
  });

  it('refuses bad text and out-of-range numbers in any body field on every route with a body, naming it', async () => {
    expect(withBodies.length).toBeGreaterThanOrEqual(15);
    const bads: [string, string][] = [
      ['body.title', '{"title":"Verti\\u0000go"}'],
      ['body.name', '{"name":"\\ud800"}'],
      ['body.email', '{"email":"a\\u001b[31m@b.test"}'],
      ['body.startsAt', '{"startsAt":"0000-01-01T00:00:00Z"}'],
      ['body.releaseDate', '{"releaseDate":"9999-12-31"}'],
      ['body.seats.0', '{"seats":["A\\u0000"]}'],
      ['body.durationMinutes', '{"durationMinutes":1e400}'],
      ['body.amount', '{"amount":123456789012345678901234567890}'],
      ['body.description', `{"description":"${'x'.repeat(10_001)}"}`],
    ];
    for (const r of withBodies) {
      for (const [field, raw] of bads) {
        const res = await stack.api(r.method, fill(r.path, UNKNOWN), { token: admin, raw });
        expect({ route: `${r.method} ${r.path}`, field, status: res.status, paths: issuePaths(res) }).toEqual({ route: `${r.method} ${r.path}`, field, status: 400, paths: [field] });
      }
    }
  });

  it("allows line breaks only where text is free: a movie's description, not its title", async () => {
    const movie = await stack.api('POST', '/movies', { token: admin, body: { title: 'Two lines', description: 'First line.\r\n\tSecond line.', durationMinutes: 90, releaseDate: '2026-01-01' } });
    expect(movie.status).toBe(201);
    expect(movie.body.movie.description).toBe('First line.\r\n\tSecond line.');
    const title = await stack.api('PATCH', `/movies/${movie.body.movie.id}`, { token: admin, body: { title: 'Two\nlines' } });
    expect([title.status, issuePaths(title)]).toEqual([400, ['body.title']]);
    const emoji = await stack.api('PATCH', `/movies/${movie.body.movie.id}`, { token: admin, body: { title: 'Amélie 🎬' } });
    expect([emoji.status, emoji.body.movie?.title]).toEqual([200, 'Amélie 🎬']);
  });

  it('never answers 5xx to generated bodies, on any route, signed in or not', async () => {
    const who = fc.constantFrom<'admin' | 'customer' | 'anonymous'>('admin', 'customer', 'anonymous');
    const query = fc.dictionary(queryName, fc.oneof(fc.string({ maxLength: 30 }), hostileQueryValue, hostileNumber.map(String)), { maxKeys: 3 });

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, pathValue, who, query, async (r: RouteEntry, b, p, w, q) => {
        const token = w === 'admin' ? admin : w === 'customer' ? customer : undefined;
        const qs = queryString(q);
        const path = fill(r.path, p) + (qs ? `?${qs}` : '');
        const t0 = Date.now();
        const res = await stack.api(r.method, path, { raw: ['GET', 'DELETE'].includes(r.method) ? undefined : b.raw, token });
        if (process.env.FUZZ_TRACE) console.log(Date.now() - t0, res.status, r.method, r.path);
        expectClientError(res, `${w} ${r.method} ${path} ${b.raw.slice(0, 80)}`);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 20261124) },
    );
  }, 240_000);

  it('never answers 5xx to hostile text, numbers and dates in the path, the query and the body, on every route', async () => {
    const runs = Number(process.env.FUZZ_HOSTILE_RUNS ?? 24);
    const hostileBody = fc.oneof(
      fc.dictionary(field, fc.oneof(hostileText, hostileNumber, fc.array(hostileText, { maxLength: 2 })), { minKeys: 1, maxKeys: 4 }).map((v) => JSON.stringify(v)),
      body.map((b) => b.raw),
    );
    for (const [i, r] of routes.entries()) {
      await fc.assert(
        fc.asyncProperty(hostileBody, pathValue, fc.dictionary(queryName, hostileQueryValue, { minKeys: 1, maxKeys: 1 }), fc.boolean(), async (raw, p, q, signedIn) => {
          const path = `${fill(r.path, p)}?${queryString(q)}`;
          const res = await stack.api(r.method, path, { raw: ['GET', 'DELETE'].includes(r.method) ? undefined : raw, token: signedIn ? admin : undefined });
          if (process.env.FUZZ_TRACE) console.log(res.status, r.method, path.slice(0, 120));
          expectClientError(res, `${r.method} ${path.slice(0, 200)} ${raw.slice(0, 80)}`);
        }),
        { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? 20261124) + i },
      );
    }
  }, 240_000);
});
