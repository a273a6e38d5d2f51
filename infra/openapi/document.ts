// The OpenAPI 3.1 document, built from the route table (the functions.yml files serverless.yml
// includes), each route's own zod schemas (route() keeps them on the handler) and its domain's
// description of it (functions/<domain>/api.ts). `npm run openapi` writes it to
// docs/openapi.json, which GET /openapi.json serves, and the web app's types from it; a test
// holds both to what this builds, and another every answer the HTTP tests receive to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { load as parseYaml } from 'js-yaml';
import { errorBody, gatewayRefusal, type Answer, type ApiDocs, type RouteDoc } from '../../layers/core/http/api-doc';
import type { RouteSpec, Access } from '../../layers/core/http';
import { defaultRules, generateKeyPair } from '../../blockchain-nodes/protocol';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface TableRoute {
  fn: string;
  handler: string;
  method: string;
  path: string;
  protected: boolean;
}

/** The gateway's routes, from the same files serverless.yml includes; the `$default` catch-all is no route of the API. */
export function routeTable(): TableRoute[] {
  const root = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');
  const files = [...root.matchAll(/\$\{file\(([^)]+)\)\}/g)].map((m) => m[1]);
  const routes: TableRoute[] = [];
  for (const file of files) {
    const fns = parseYaml(readFileSync(join(ROOT, file), 'utf8')) as Record<string, { handler: string; events?: { httpApi?: string | { method: string; path: string; authorizer?: unknown } }[] }>;
    for (const [fn, def] of Object.entries(fns ?? {})) {
      for (const ev of def.events ?? []) {
        if (!ev.httpApi || typeof ev.httpApi === 'string') continue;
        routes.push({ fn, handler: def.handler, method: ev.httpApi.method.toUpperCase(), path: ev.httpApi.path, protected: !!ev.httpApi.authorizer });
      }
    }
  }
  return routes;
}

// The handlers read their configuration when they load; the document needs none of it.
function placeholderSettings(): void {
  const placeholders: Record<string, string> = {
    JWT_SECRET: 'p'.repeat(32),
    PAYMENT_WEBHOOK_SECRET: 'p'.repeat(32),
    LEDGER_SIGNING_KEY: '1'.repeat(64),
    CHAIN_NODES: [0, 1, 2, 3].map((id) => `http://127.0.0.1:9/${id}`).join(','),
    CHAIN_GENESIS: JSON.stringify({
      chainName: 'placeholder',
      createdAt: 0,
      replicas: [0, 1, 2, 3].map((id) => ({ id, address: `http://127.0.0.1:9/${id}`, publicKey: generateKeyPair().publicKey })),
      submitters: [],
      rules: defaultRules,
    }),
  };
  for (const [name, value] of Object.entries(placeholders)) process.env[name] ??= value;
}

// The document's sections, in the cinema's words.
const TAGS: Record<string, string> = {
  Account: 'A customer’s account: sign-up, sign-in, sessions, profile, password, wishlist',
  Development: 'Local stages only',
  'Sign in with a provider': 'OpenID Connect sign-in with an outside identity provider',
  Programme: 'Movies, halls and showtimes; a showtime’s layout and live availability',
  Cart: 'Seats held while the customer pays, and the checkout that fixes their amount',
  Bookings: 'A customer’s bookings: list, one, cancel, numbers',
  Operators: 'What operators (admin accounts) see and set',
  Payments: 'Paying a checkout, and the provider’s signed webhook',
  'Test provider': 'The built-in payment provider that plays the card network on local stages',
  Ledger: 'Proofs from the PBFT ledger, checked offline with nothing but the chain’s genesis',
  Tickets: 'A booking’s tickets: one signed code per seat, checked with the published keys alone',
  Door: 'Door staff’s check-ins, online and from an offline device’s journal',
  Pages: 'The web app’s pages and files',
  'API description': 'This document and its reference page',
};

type Spec = RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, Access>;
type Json = Record<string, any>;

async function allDocs(): Promise<ApiDocs> {
  const modules = await Promise.all([
    import('../../functions/auth/api'),
    import('../../functions/catalog/api'),
    import('../../functions/booking/api'),
    import('../../functions/payment/api'),
    import('../../functions/ledger/api'),
    import('../../functions/web/api'),
  ]);
  return Object.assign({}, ...modules.map((m) => m.api));
}

/** A zod schema as JSON Schema 2020-12, its named parts moved to `components`. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const suffix = io === 'input' ? 'Input' : '';
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  const text = JSON.stringify(out).replace(/"#\/\$defs\/([A-Za-z0-9_]+)"/g, (_, id) => `"#/components/schemas/${id}${suffix}"`);
  const { $schema: _s, $defs, ...rest } = JSON.parse(text) as Json;
  for (const [id, def] of Object.entries<Json>($defs ?? {})) components[`${id}${suffix}`] = def;
  return rest;
}

/** The function's name; a function with several routes (the web app's) numbers the others. */
function operationIdOf(fn: string, seen: Map<string, number>): string {
  const n = (seen.get(fn) ?? 0) + 1;
  seen.set(fn, n);
  return n === 1 ? fn : `${fn}${n}`;
}

const openPath = (path: string) => path.replace(/\{([^}+]+)\+\}/g, '{$1}');
const pathNames = (path: string) => [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);

// The refusals every route built with route() can give, besides its own (components.responses).
const COMMON: Record<string, Answer> = {
  BadRequest: {
    description: 'The request is malformed or fails validation (`bad_request`, `validation_failed`: `details` names each field). A URL the gateway itself cannot decode (percent-encoded bytes that are not UTF-8) is refused by the gateway, in its own words (`GatewayRefusal`).',
    body: z.union([errorBody, gatewayRefusal]),
  },
  NotSignedIn: { description: 'Not signed in, or the session has ended (`unauthorized`)', body: errorBody },
  CredentialsRefused: { description: 'Credentials were sent and do not hold: sign in again, or send none (`unauthorized`)', body: errorBody },
  NotAnOperator: { description: 'The account is not an operator’s (`forbidden`)', body: errorBody },
  NotDoorStaff: { description: 'The account is neither door staff nor an operator’s (`forbidden`)', body: errorBody },
  PayloadTooLarge: { description: 'The body is larger than 64 KiB (`payload_too_large`)', body: errorBody },
  NotJson: { description: 'A body that is not JSON (`unsupported_media_type`)', body: errorBody },
  Internal: { description: 'Our fault: a generic message, the detail in our log under the answer’s x-correlation-id (`internal`)', body: errorBody },
};

function commonRefusals(access: Access | undefined): Record<number, string> {
  if (!access) return {};
  const refs: Record<number, string> = { 400: 'BadRequest', 413: 'PayloadTooLarge', 415: 'NotJson', 500: 'Internal' };
  if (access === 'optional') refs[401] = 'CredentialsRefused';
  if (access === 'signed-in' || access === 'admin' || access === 'door') refs[401] = 'NotSignedIn';
  if (access === 'admin') refs[403] = 'NotAnOperator';
  if (access === 'door') refs[403] = 'NotDoorStaff';
  return refs;
}

function responseOf(answer: Answer, components: Json): Json {
  const body = content(answer, components);
  return {
    description: answer.description,
    ...(answer.headers ? { headers: Object.fromEntries(Object.entries(answer.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }])) } : {}),
    ...(body ? { content: body } : {}),
  };
}

function parametersOf(where: 'path' | 'query', schema: z.ZodType | undefined, path: string, components: Json, doc: RouteDoc): Json[] {
  if (!schema) {
    if (where === 'query') return [];
    return pathNames(path).map((name) => ({ name, in: 'path', required: true, description: doc.params?.[name], schema: { type: 'string' } }));
  }
  const json = jsonSchemaOf(schema, 'input', components);
  const required = new Set<string>(json.required ?? []);
  return Object.entries<Json>(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

const content = (answer: Answer, components: Json): Json | undefined => {
  if (answer.content) return { [answer.content]: { schema: { type: 'string' } } };
  if (answer.body) return { 'application/json': { schema: jsonSchemaOf(answer.body, 'output', components) } };
  return undefined;
};

export async function buildApiDocument(): Promise<Json> {
  placeholderSettings();
  const docs = await allDocs();
  const components: Json = {};
  const paths: Json = {};
  const described = new Set<string>();
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const table = routeTable();
  const seen = new Map<string, number>();
  for (const r of table) {
    const doc = docs[r.fn];
    if (!doc) throw new Error(`${r.method} ${r.path} (${r.fn}) has no description: add it to its domain's api.ts`);
    described.add(r.fn);
    const mod = (await import(join(ROOT, r.handler.replace(/\.[^.]+$/, '.ts')))) as { handler: { spec?: Spec } };
    const spec = mod.handler.spec;
    const responses: Json = {};
    const common = commonRefusals(spec?.access);
    const statuses = [...new Set([...Object.keys(common), ...Object.keys(doc.responses)].map(Number))].sort((a, b) => a - b);
    for (const status of statuses) {
      responses[status] = doc.responses[status] ? responseOf(doc.responses[status], components) : { $ref: `#/components/responses/${common[status]}` };
    }
    const operation: Json = {
      operationId: operationIdOf(r.fn, seen),
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: [doc.tag],
      parameters: [...parametersOf('path', spec?.params, r.path, components, doc), ...parametersOf('query', spec?.query, r.path, components, doc)],
      responses,
    };
    if (spec?.body) {
      const optional = spec.body.safeParse(undefined).success;
      operation.requestBody = { required: !optional, content: { 'application/json': { schema: jsonSchemaOf(spec.body, 'input', components) } } };
    }
    const access = spec?.access;
    if (access === 'signed-in' || access === 'admin' || access === 'door') operation.security = [{ session: [] }];
    else if (access === 'optional') operation.security = [{ session: [] }, {}];
    else operation.security = [];
    if (access === 'admin') operation.description = [operation.description, 'Operators only (an admin account).'].filter(Boolean).join('\n\n');
    if (access === 'door') operation.description = [operation.description, 'Door staff and operators only.'].filter(Boolean).join('\n\n');
    if (!operation.parameters.length) delete operation.parameters;
    (paths[openPath(r.path)] ??= {})[r.method.toLowerCase()] = operation;
  }
  const commonResponses = Object.fromEntries(Object.entries(COMMON).map(([name, answer]) => [name, responseOf(answer, components)]));
  const stale = Object.keys(docs).filter((fn) => !described.has(fn));
  if (stale.length) throw new Error(`described but not routed: ${stale.join(', ')}`);
  return {
    openapi: '3.1.1',
    info: {
      title: 'Cinema platform API',
      version,
      description: [
        'Movies, halls and showtimes; seat holds, checkout and payment; bookings and their proofs on the ledger.',
        'Every refusal is JSON `{ "error": { "code", "message", "details"? } }` (the `Error` schema), whatever the route; a path that is no route answers it too, with 404 `not_found`.',
        'Sign in with `POST /auth/login` (or a provider, `/auth/oidc/…`) and send the token it answers as `Authorization: Bearer <token>`.',
        'Every answer carries an `x-correlation-id` header (send your own to follow a request through our logs).',
      ].join('\n\n'),
    },
    servers: [{ url: '/' }],
    tags: [...new Set(Object.values(docs).map((d) => d.tag))].map((name) => {
      if (!TAGS[name]) throw new Error(`the tag ${name} has no description in infra/openapi/document.ts`);
      return { name, description: TAGS[name] };
    }),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => (a === 'Error' ? -1 : b === 'Error' ? 1 : a.localeCompare(b)))),
      responses: commonResponses,
      securitySchemes: {
        session: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The session token that sign-in answers. Every request is checked: a token of an ended session (logout, ended elsewhere) is refused at once.' },
      },
    },
  };
}
