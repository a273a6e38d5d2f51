// Each layer of the HTTP onion on its own, with gateway events cloned and altered per case;
// then route() as a whole, to show the layers are in the order that keeps every answer the same.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidInput, NotAllowed, NotFound, NotSignedIn, ValidationFailed } from '../errors';
import { correlation } from '../http/correlation';
import { HttpError } from '../http/errors';
import { identity } from '../http/identity';
import { jsonBody, parseJsonBody, rawBody, MAX_BODY_BYTES } from '../http/json-body';
import { beginRoute, routeState } from '../http/request';
import { validation } from '../http/validation';
import { bodyIssues, flatPartIssues, textProblem } from '../http/plain-input';
import { route, ok, created, uuidParam } from '../http';
import { gatewayEvent, lambdaContext, middyRequest, recordingLogger } from './support';

const json = { 'content-type': 'application/json' };
const customer = { userId: '6f1c1f5e-8a39-4d5e-9a55-2f4f5a3c0b11', role: 'customer', sessionId: 's-1' };
const admin = { ...customer, role: 'admin' };

async function refusalOf(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

describe('correlation', () => {
  it("keeps the caller's correlation id when it has a sane shape, and logs how the request went", async () => {
    const log = recordingLogger();
    const mw = correlation(log);
    const sent = 'Req-42.trace:a_b-' + 'c'.repeat(47);
    const request = middyRequest(gatewayEvent({ headers: { 'x-correlation-id': sent } }));
    await mw.before!(request);
    expect(routeState(request.context).correlationId).toBe(sent);
    request.response = { statusCode: 201 };
    await mw.after!(request);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: 'info', msg: 'request handled', fields: { correlationId: sent, route: 'POST /movies', status: 201 } });
    expect(typeof log.lines[0].fields.ms).toBe('number');
  });

  it.each([
    ['too long', 'c'.repeat(65)],
    ['empty', ''],
    ['a line break', 'abc\r\nset-cookie: x=1'],
    ['markup', '<script>alert(1)</script>'],
    ['a space', 'a b'],
    ['non-ASCII', 'caf\u00e9'],
  ])('replaces a correlation id with %s by a fresh one, never echoing it', async (_what, sent) => {
    const request = middyRequest(gatewayEvent({ headers: { 'x-correlation-id': sent } }));
    await correlation(recordingLogger()).before!(request);
    const id = routeState(request.context).correlationId;
    expect(id).not.toBe(sent);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes one when the caller sent none', async () => {
    const request = middyRequest(gatewayEvent());
    await correlation(recordingLogger()).before!(request);
    expect(routeState(request.context).correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('identity', () => {
  it('refuses a request that brings its own identity header', async () => {
    const request = middyRequest(gatewayEvent({ headers: { 'sls-offline-authorizer-override': '{}' } }));
    const err = await refusalOf(() => identity('public').before!(request));
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as Error).message).toBe('The sls-offline-authorizer-override header is not accepted');
  });

  it('lets anyone through a public route, without a caller', async () => {
    const request = middyRequest(gatewayEvent({ authorizer: customer }));
    await identity('public').before!(request);
    expect(routeState(request.context).caller).toBeUndefined();
  });

  it("refuses a signed-in route without an identity, in the authorizer's words when it gave some", async () => {
    const none = await refusalOf(() => identity('signed-in').before!(middyRequest(gatewayEvent())));
    expect(none).toBeInstanceOf(NotSignedIn);
    expect((none as Error).message).toBe('Sign in required');
    const expired = await refusalOf(() => identity('signed-in').before!(middyRequest(gatewayEvent({ authorizer: { reason: 'Access token has expired' } }))));
    expect((expired as Error).message).toBe('Access token has expired');
    const forgedRole = await refusalOf(() => identity('signed-in').before!(middyRequest(gatewayEvent({ authorizer: { ...customer, role: 'owner' } }))));
    expect(forgedRole).toBeInstanceOf(NotSignedIn);
  });

  it('admits a customer to signed-in routes only, and an admin to admin routes', async () => {
    const asCustomer = middyRequest(gatewayEvent({ authorizer: customer }));
    await identity('signed-in').before!(asCustomer);
    expect(routeState(asCustomer.context).caller).toEqual(customer);
    const err = await refusalOf(() => identity('admin').before!(middyRequest(gatewayEvent({ authorizer: customer }))));
    expect(err).toBeInstanceOf(NotAllowed);
    expect((err as Error).message).toBe('This needs an admin account');
    const asAdmin = middyRequest(gatewayEvent({ authorizer: admin }));
    await identity('admin').before!(asAdmin);
    expect(routeState(asAdmin.context).caller?.role).toBe('admin');
  });
});

describe('jsonBody', () => {
  it('parses a JSON body, also base64-encoded, with a JSON content type of any flavour', async () => {
    expect(parseJsonBody(gatewayEvent({ headers: json, body: '{"title":"Vertigo"}' }), MAX_BODY_BYTES)).toEqual({ title: 'Vertigo' });
    expect(parseJsonBody(gatewayEvent({ headers: { 'content-type': 'application/merge-patch+json' }, body: Buffer.from('[1,2]').toString('base64'), isBase64Encoded: true }), MAX_BODY_BYTES)).toEqual([1, 2]);
    // serverless-offline hands over falsy JSON values as they are
    expect(parseJsonBody(gatewayEvent({ headers: json, body: 0 as unknown as string }), MAX_BODY_BYTES)).toBe(0);
    const request = middyRequest(gatewayEvent({ headers: json, body: '{"a":1}' }));
    await jsonBody().before!(request);
    expect(routeState(request.context).parsedBody).toEqual({ a: 1 });
  });

  it('hands over the raw body a signature is computed over', () => {
    expect(rawBody(gatewayEvent({ body: Buffer.from('{"id":"evt_1"}').toString('base64'), isBase64Encoded: true }))).toBe('{"id":"evt_1"}');
    expect(rawBody(gatewayEvent({ body: ' {"id": 1} ' }))).toBe(' {"id": 1} ');
    expect(rawBody(gatewayEvent({ body: false as unknown as string }))).toBe('false');
    expect(rawBody(gatewayEvent())).toBe('""');
  });

  it('takes no body as none', () => {
    expect(parseJsonBody(gatewayEvent(), MAX_BODY_BYTES)).toBeUndefined();
    expect(parseJsonBody(gatewayEvent({ body: '' }), MAX_BODY_BYTES)).toBeUndefined();
  });

  it('refuses a body over the limit before looking at it, then one that is not JSON', () => {
    const big = () => parseJsonBody(gatewayEvent({ headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(101) }), 100);
    expect(big).toThrow(HttpError);
    expect(big).toThrow('Request body is larger than 100 bytes');
    const form = () => parseJsonBody(gatewayEvent({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' }), 100);
    expect(form).toThrow('Request body must be JSON (Content-Type: application/json)');
    try {
      form();
    } catch (err) {
      expect((err as HttpError).status).toBe(415);
    }
    const broken = () => parseJsonBody(gatewayEvent({ headers: json, body: '{"title": "unterminated' }), 100);
    expect(broken).toThrow(InvalidInput);
    expect(broken).toThrow(/^Malformed JSON body: /);
  });
});

describe('validation', () => {
  const schemas = { params: uuidParam('id'), query: z.object({ page: z.coerce.number().int().min(1).default(1) }), body: z.strictObject({ title: z.string().min(1) }) };
  const withBody = (event: ReturnType<typeof gatewayEvent>, body: unknown) => {
    const request = middyRequest(event);
    beginRoute(request.context, { correlationId: 'c', log: recordingLogger(), started: 0, parsedBody: body });
    return request;
  };

  it('hands on the parts as converted by their schemas', async () => {
    const request = withBody(gatewayEvent({ pathParameters: { id: customer.userId }, queryStringParameters: { page: '3' } }), { title: 'Vertigo' });
    await validation(schemas).before!(request);
    const state = routeState(request.context);
    expect([state.params, state.query, state.body]).toEqual([{ id: customer.userId }, { page: 3 }, { title: 'Vertigo' }]);
  });

  it('checks the path, then the query, then the body, naming what is wrong', async () => {
    const path = await refusalOf(() => validation(schemas).before!(withBody(gatewayEvent({ pathParameters: { id: "1' OR '1'='1" }, queryStringParameters: { page: '0' } }), { title: '' })));
    expect(path).toBeInstanceOf(ValidationFailed);
    expect((path as Error).message).toBe('Invalid path: id: id must be a UUID');
    const query = await refusalOf(() => validation(schemas).before!(withBody(gatewayEvent({ pathParameters: { id: customer.userId }, queryStringParameters: { page: '0' } }), {})));
    expect((query as Error).message).toMatch(/^Invalid query: page: /);
    const body = await refusalOf(() => validation(schemas).before!(withBody(gatewayEvent({ pathParameters: { id: customer.userId } }), { title: 'T', isAdmin: true })));
    expect((body as ValidationFailed).issues).toEqual([{ path: '(root)', message: expect.stringMatching(/isAdmin/) }]);
  });

  it('asks for a body the route needs', async () => {
    const err = await refusalOf(() => validation({ body: schemas.body }).before!(withBody(gatewayEvent(), undefined)));
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as Error).message).toBe('Request body is required');
  });
});

describe('plain input, the one rule every value keeps', () => {
  it.each([
    ['a NUL byte', 'Verti\u0000go', /NUL/],
    ['a lone high surrogate', 'Verti\uD800go', /lone surrogate/],
    ['a lone low surrogate', '\uDC00', /lone surrogate/],
    ['a bell', 'Verti\u0007go', /control characters/],
    ['DEL', 'Verti\u007Fgo', /control characters/],
    ['a C1 control', 'Verti\u0085go', /control characters/],
    ['a line break in a one-line field', 'Verti\ngo', /tabs and line breaks included/],
    ['year 0', '0000-01-01', /years 1800–2199/],
    ['year 9999', '9999-12-31T23:00:00Z', /years 1800–2199/],
    ['an extended year', '+010000-01-01T00:00:00Z', /years 1800–2199/],
    ['a day that does not exist', '2026-02-30', /real calendar date/],
    ['too much text', 'x'.repeat(10_001), /at most 10000/],
  ])('refuses %s', (_what, value, problem) => {
    expect(textProblem(value, { maxLength: 10_000 })).toMatch(problem);
  });

  it('lets plain text, emoji (a surrogate pair), real dates and line breaks in free text through', () => {
    for (const value of ['Vertigo', 'Amélie 🎬', '2026-12-01', '2026-12-01T19:30:00+01:00', '1895-12-28', 'not 0000-01-01 a date']) {
      expect(textProblem(value, { maxLength: 10_000 }), value).toBeUndefined();
    }
    expect(textProblem('line one\r\n\tline two', { maxLength: 100, freeText: true })).toBeUndefined();
    expect(textProblem('line one\u0000', { maxLength: 100, freeText: true })).toMatch(/NUL/);
  });

  it('reads no password as a date, while a NUL in one is still refused', () => {
    expect(bodyIssues({ email: 'a@example.test', password: '2026-02-30', newPassword: '0000-01-01' })).toEqual([]);
    expect(bodyIssues({ password: 'pass\u0000word', startsAt: '2026-02-30' })).toEqual([
      { path: 'body.startsAt', message: 'must be a real calendar date' },
      { path: 'body.password', message: expect.stringMatching(/NUL/) },
    ]);
  });

  it('names each field in error: path, query and body, keys and numbers too', () => {
    expect(flatPartIssues('query', { date: '0000-01-01', page: '1' })).toEqual([{ path: 'query.date', message: expect.stringMatching(/years/) }]);
    expect(flatPartIssues('path', { id: 'a\u0000' })).toEqual([{ path: 'path.id', message: expect.stringMatching(/NUL/) }]);
    expect(flatPartIssues('query', { 'a\u0000': 'x' })).toEqual([{ path: 'query.(a parameter name)', message: expect.stringMatching(/NUL/) }]);
    expect(flatPartIssues('query', { search: 'x'.repeat(501) })).toEqual([{ path: 'query.search', message: 'must be at most 500 characters' }]);
    const body = { title: 'T\u0000', description: 'one\ntwo', layout: { rows: [{ label: '\uD800' }] }, prices: { 'a\u0000': 1 }, n: 2 ** 60, m: -1e300 };
    expect(bodyIssues(body, ['description']).map((i) => i.path).sort()).toEqual(['body.layout.rows.0.label', 'body.m', 'body.n', 'body.prices.(a field name)', 'body.title']);
    expect(bodyIssues({ description: 'one\ntwo' })).toEqual([{ path: 'body.description', message: expect.stringMatching(/line breaks/) }]);
    expect(bodyIssues({ rows: [{ note: 'a\tb' }] }, ['rows.*.note'])).toEqual([]);
  });

  it('refuses a body nested deeper than 32 levels without exhausting the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(bodyIssues(deep)).toEqual([{ path: expect.stringMatching(/^body(\.0){33}$/), message: 'must not nest deeper than 32 levels' }]);
  });
});

describe('route(), the whole onion', () => {
  const movies = route({ access: 'admin', params: uuidParam('id'), body: z.strictObject({ title: z.string() }) }, async ({ params, body, caller }) => {
    if (body.title === 'missing') throw new NotFound('Movie');
    if (body.title === 'crash') throw new Error('socket hang up');
    return created({ id: params.id, title: body.title, by: caller.userId });
  });
  const call = (over: Parameters<typeof gatewayEvent>[0]) => movies(gatewayEvent({ pathParameters: { id: customer.userId }, authorizer: admin, ...over }), lambdaContext()) as Promise<any>;

  it('answers with the handler\'s reply as JSON, with the correlation id and CORS headers', async () => {
    const res = await call({ headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': 'from-the-client', origin: 'https://cinema.example' }, body: '{"title":"Vertigo"}' });
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ id: customer.userId, title: 'Vertigo', by: customer.userId });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(res.headers['Access-Control-Expose-Headers']).toBe('x-correlation-id,retry-after');
    expect(res.headers['Access-Control-Allow-Headers']).toBe('authorization,content-type,x-correlation-id');
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/); // read before the header names are lower-cased, as before
  });

  it('keeps a header of the answer\'s own over the CORS one of the same name, and gives each answer its own headers', async () => {
    const own = route({ access: 'public' }, async () => ({ status: 200, body: {}, headers: { 'Access-Control-Allow-Origin': 'https://door.cinema.example' } }));
    const plain = route({ access: 'public' }, async () => ok({}));
    const first = (await own(gatewayEvent(), lambdaContext())) as any;
    const second = (await plain(gatewayEvent(), lambdaContext())) as any;
    expect(first.headers['Access-Control-Allow-Origin']).toBe('https://door.cinema.example');
    expect(first.headers['Access-Control-Expose-Headers']).toBe('x-correlation-id,retry-after');
    expect(second.headers['Access-Control-Allow-Origin']).toBe('*');
    second.headers['Access-Control-Allow-Origin'] = 'changed by a caller';
    expect(((await plain(gatewayEvent(), lambdaContext())) as any).headers['Access-Control-Allow-Origin']).toBe('*');
  });

  it('maps a refusal from any layer, keeping CORS on it', async () => {
    const notSignedIn = await call({ authorizer: { reason: 'Session has ended; sign in again' }, headers: json, body: '{"title":"x"}' });
    expect(notSignedIn.statusCode).toBe(401);
    expect(notSignedIn.headers['www-authenticate']).toBe('Bearer');
    expect(notSignedIn.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(JSON.parse(notSignedIn.body)).toEqual({ error: { code: 'unauthorized', message: 'Session has ended; sign in again' } });
    const forbidden = await call({ authorizer: customer, headers: json, body: '{"title":"x"}' });
    expect(JSON.parse(forbidden.body)).toEqual({ error: { code: 'forbidden', message: 'This needs an admin account' } });
    const missing = await call({ headers: json, body: '{"title":"missing"}' });
    expect([missing.statusCode, JSON.parse(missing.body)]).toEqual([404, { error: { code: 'not_found', message: 'Movie not found' } }]);
    expect(missing.headers['Access-Control-Allow-Origin']).toBe('*');
  });

  it('checks who calls before the body: an anonymous huge body is a 401, not a 413', async () => {
    const res = await call({ authorizer: undefined, headers: json, body: JSON.stringify({ title: 'x'.repeat(MAX_BODY_BYTES) }) });
    expect(res.statusCode).toBe(401);
    const signedIn = await call({ headers: json, body: JSON.stringify({ title: 'x'.repeat(MAX_BODY_BYTES) }) });
    expect(signedIn.statusCode).toBe(413);
  });

  it('checks the path before the body, and answers our own failures with a bare 500', async () => {
    const res = await call({ pathParameters: { id: 'nope' }, headers: json, body: '{"title":1}' });
    expect(JSON.parse(res.body).error.message).toBe('Invalid path: id: id must be a UUID');
    const crash = await call({ headers: json, body: '{"title":"crash"}' });
    expect([crash.statusCode, JSON.parse(crash.body)]).toEqual([500, { error: { code: 'internal', message: 'Something went wrong on our side' } }]);
    expect(crash.headers['Access-Control-Allow-Origin']).toBe('*');
  });

  it('applies the plain-input rule to every route before its schema, naming the field', async () => {
    const res = await call({ headers: json, body: '{"title":"Verti\\u0000go"}' });
    expect([res.statusCode, JSON.parse(res.body)]).toEqual([
      400,
      { error: { code: 'validation_failed', message: 'Invalid input: body.title: must not contain a NUL character', details: [{ path: 'body.title', message: 'must not contain a NUL character' }] } },
    ]);
    const list = route({ access: 'public' }, async () => ok({ items: [] }));
    const query = (await list(gatewayEvent({ queryStringParameters: { date: '0000-01-01' } }), lambdaContext())) as any;
    expect([query.statusCode, JSON.parse(query.body).error.details]).toEqual([400, [{ path: 'query.date', message: 'must be a date in the years 1800–2199' }]]);
  });

  it('refuses a body that is not JSON even on a route that takes none', async () => {
    const list = route({ access: 'public' }, async () => ok({ items: [] }));
    const res = (await list(gatewayEvent({ headers: { 'content-type': 'text/plain' }, body: 'hello' }), lambdaContext())) as any;
    expect([res.statusCode, JSON.parse(res.body).error.code]).toEqual([415, 'unsupported_media_type']);
  });
});
