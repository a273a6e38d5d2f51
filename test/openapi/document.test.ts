// The API's description is current and able to fail: the committed document is what the route
// table and the routes' schemas say now, the web app's types are generated from it, and the
// checker the HTTP tests run refuses an answer the document does not describe.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildApiDocument, routeTable } from '../../infra/openapi/document';
import { DOCUMENT_FILE, TYPES_FILE, documentText, typesText } from '../../infra/openapi/generate';
import { answerChecker, loadApiDocument } from '../support/openapi';

const committed = loadApiDocument();

describe('the OpenAPI document', () => {
  it('is what the route table and the routes’ schemas say now (npm run openapi writes it)', async () => {
    const built = await buildApiDocument();
    expect(documentText(built), 'docs/openapi.json is stale: run npm run openapi').toBe(readFileSync(DOCUMENT_FILE, 'utf8'));
  });

  it('gives the web app its types: web/shared/api-schema.ts is openapi-typescript’s output for it', async () => {
    expect(await typesText(committed), 'web/shared/api-schema.ts is stale: run npm run openapi').toBe(readFileSync(TYPES_FILE, 'utf8'));
  });

  it('is a valid OpenAPI 3.1 document: Redocly’s lint (its structural rules) finds no error', async () => {
    const { createConfig, lintFromString } = await import('@redocly/openapi-core');
    const problems = await lintFromString({ source: readFileSync(DOCUMENT_FILE, 'utf8'), absoluteRef: 'openapi.json', config: await createConfig({ extends: ['minimal'] }) });
    expect(committed.openapi).toMatch(/^3\.1\./);
    const said = (severity: string) => problems.filter((p) => p.severity === severity).map((p) => `${p.ruleId} at ${p.location?.[0]?.pointer}`);
    expect(said('error')).toEqual([]);
    // the one warning: the provider sign-in's two redirects have no 2xx answer, by nature
    expect(said('warn')).toEqual(['/auth/oidc/{provider}/start', '/auth/oidc/{provider}/callback'].map((p) => `operation-2xx-response at #/paths/${p.replace(/\//g, '~1')}/get/responses`));
  });

  it('describes every route of the gateway, with a summary, its parameters and a success', () => {
    const table = routeTable();
    expect(table.length).toBeGreaterThan(50);
    for (const r of table) {
      const op = committed.paths[r.path.replace(/\{([^}+]+)\+\}/g, '{$1}')]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op.summary, `${r.method} ${r.path}`).toMatch(/\w/);
      expect(Object.keys(op.responses).some((s) => Number(s) < 400), `${r.method} ${r.path} has a success`).toBe(true);
      for (const name of [...r.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1])) {
        expect(op.parameters?.some((p: any) => p.in === 'path' && p.name === name), `${r.method} ${r.path} path parameter ${name}`).toBe(true);
      }
      // the gateway's authorizer stands in front of the protected routes, and the document says so
      if (r.protected) expect(op.security.some((s: any) => 'session' in s), `${r.method} ${r.path}`).toBe(true);
      else expect(op.security, `${r.method} ${r.path}`).toEqual([]);
    }
  });

  it('tells the request bodies and the queries from the routes’ own schemas', () => {
    const hold = committed.paths['/cart/holds'].post;
    expect(hold.requestBody.required).toBe(true);
    expect(hold.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', required: ['showtimeId'], additionalProperties: false });
    const list = committed.paths['/movies'].get;
    expect(list.parameters.map((p: any) => `${p.in}:${p.name}`).sort()).toEqual(['query:date', 'query:genre', 'query:page', 'query:pageSize', 'query:search']);
    expect(committed.components.securitySchemes.session).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(committed.components.schemas.Error.required).toEqual(['error']);
  });
});

describe('the checker of answers', () => {
  const check = answerChecker(committed);
  const movie = { id: '8b0f6f0e-2f5c-4f4e-9a43-0c3f7f3b9a11', title: 'Heat', description: '', genres: [], durationMinutes: 170, rating: null, releaseDate: '1995-12-15', posterUrl: null, archivedAt: null };

  it('passes an answer the document describes', () => {
    expect(() => check('GET', '/movies?page=1', 200, { items: [movie], page: 1, pageSize: 20, total: 1 })).not.toThrow();
    expect(() => check('GET', `/movies/${movie.id}`, 404, { error: { code: 'not_found', message: 'Movie not found' } })).not.toThrow();
  });

  it('fails an undocumented status', () => {
    expect(() => check('GET', '/movies', 418, { error: { code: 'teapot', message: 'I am a teapot' } })).toThrow(/GET \/movies answered 418, which the document does not list/);
    // a refusal of the domain that a route does not list: listing movies never answers 409
    expect(() => check('GET', '/movies', 409, { error: { code: 'conflict', message: 'x' } })).toThrow(/does not list/);
  });

  it('fails a body that does not match its status’s schema', () => {
    expect(() => check('GET', '/movies', 200, { items: [{ ...movie, durationMinutes: 'long' }], page: 1, pageSize: 20, total: 1 })).toThrow(/\/items\/0\/durationMinutes must be integer/);
    expect(() => check('GET', '/movies/x', 404, 'Not Found')).toThrow(/does not match/);
  });

  it('fails an undocumented route, unless it got our 404 for a path that is no route', () => {
    expect(() => check('GET', '/no-such-route', 200, { ok: true })).toThrow(/is no route of the document/);
    expect(() => check('GET', '/no-such-route', 404, 'Not Found')).toThrow(/is no route of the document/);
    expect(() => check('PUT', '/movies', 404, { error: { code: 'not_found', message: 'Route PUT /movies not found' } })).not.toThrow();
    expect(check.counts()).toMatchObject({ unknownPaths: 1 });
  });
});
