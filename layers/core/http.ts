// The middy stack every HTTP handler goes through: correlation id and structured logs,
// CORS, body parsing with a size limit, identity from the gateway authorizer, schema
// validation, and the one place where errors become JSON responses.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpCors from '@middy/http-cors';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  HttpError,
  badRequest,
  errorBody,
  forbidden,
  internalErrorBody,
  payloadTooLarge,
  unauthorized,
  unsupportedMediaType,
  validationFailed,
} from './errors';
import { log as rootLog, type Logger } from './log';
import type { Role } from './jwt';

export const MAX_BODY_BYTES = 64 * 1024;

export interface Caller {
  userId: string;
  role: Role;
  sessionId: string;
}

/**
 * Who may call a route. `signed-in` means any customer or admin; `optional` is public but
 * personal when signed in (the route needs the gateway's authorizer): no credentials is an
 * anonymous caller, credentials that do not hold are refused so the client signs in again.
 */
export type Access = 'public' | 'optional' | 'signed-in' | 'admin';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown, location?: string): Reply => ({ status: 201, body, headers: location ? { location } : undefined });
export const accepted = (body: unknown): Reply => ({ status: 202, body });
export const noContent = (): Reply => ({ status: 204 });

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends Schema | undefined, Q extends Schema | undefined, P extends Schema | undefined, A extends Access> {
  access: A;
  body?: B;
  query?: Q;
  params?: P;
}

export interface Request<B, Q, P, C> {
  body: B;
  query: Q;
  params: P;
  caller: C;
  correlationId: string;
  sourceIp: string;
  log: Logger;
  event: APIGatewayProxyEventV2;
}

interface State {
  correlationId: string;
  log: Logger;
  started: number;
  caller?: Caller;
  parsedBody?: unknown;
}

const AUTHORIZER_OVERRIDE = 'sls-offline-authorizer-override';

/** Reads the identity the gateway authorizer attached; a request can never supply it itself. */
function callerFrom(event: APIGatewayProxyEventV2): { caller?: Caller; reason?: string } {
  const ctx = (event.requestContext as { authorizer?: { lambda?: Record<string, unknown> } }).authorizer?.lambda;
  if (!ctx) return {};
  if (typeof ctx.userId === 'string' && typeof ctx.sessionId === 'string' && (ctx.role === 'customer' || ctx.role === 'admin')) {
    return { caller: { userId: ctx.userId, role: ctx.role, sessionId: ctx.sessionId } };
  }
  return { reason: typeof ctx.reason === 'string' ? ctx.reason : undefined };
}

export function zodDetails(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

function describe(where: string, error: z.ZodError): HttpError {
  const details = zodDetails(error);
  const summary = details.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ');
  return validationFailed(`Invalid ${where}: ${summary}`, details);
}

function parseBody(event: APIGatewayProxyEventV2): unknown {
  const body: unknown = event.body;
  if (body === undefined || body === null || body === '') return undefined;
  // API Gateway always hands over a string; serverless-offline hands over falsy JSON values as they are.
  const raw = typeof body !== 'string' ? JSON.stringify(body) : event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw payloadTooLarge(MAX_BODY_BYTES);
  const type = event.headers?.['content-type'] ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw unsupportedMediaType('Request body must be JSON (Content-Type: application/json)');
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw badRequest(`Malformed JSON body: ${(err as Error).message}`);
  }
}

function respond(reply: Reply, state: State): APIGatewayProxyResultV2 {
  const headers: Record<string, string> = { 'x-correlation-id': state.correlationId, ...reply.headers };
  if (reply.body === undefined) return { statusCode: reply.status, headers };
  headers['content-type'] = 'application/json; charset=utf-8';
  return { statusCode: reply.status, headers, body: JSON.stringify(reply.body) };
}

export function route<
  A extends Access,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(
  spec: RouteSpec<B, Q, P, A>,
  handle: (req: Request<Out<B>, Out<Q>, Out<P>, A extends 'public' | 'optional' ? Caller | undefined : Caller>) => Promise<Reply>,
) {
  const states = new WeakMap<object, State>();

  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyResultV2> => {
    const state = states.get(context)!;
    const params = spec.params ? spec.params.safeParse(event.pathParameters ?? {}) : undefined;
    if (params && !params.success) throw describe('path', params.error);
    const query = spec.query ? spec.query.safeParse(event.queryStringParameters ?? {}) : undefined;
    if (query && !query.success) throw describe('query', query.error);
    let body: unknown;
    if (spec.body) {
      if (state.parsedBody === undefined) throw badRequest('Request body is required');
      const parsed = spec.body.safeParse(state.parsedBody);
      if (!parsed.success) throw describe('body', parsed.error);
      body = parsed.data;
    }
    const reply = await handle({
      body: body as Out<B>,
      query: query?.data as Out<Q>,
      params: params?.data as Out<P>,
      caller: state.caller as never,
      correlationId: state.correlationId,
      sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
      log: state.log,
      event,
    });
    return respond(reply, state);
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context>(core)
    .use({
      before: async (request) => {
        const event = request.event;
        const correlationId = (event.headers?.['x-correlation-id'] ?? '').slice(0, 100) || randomUUID();
        const state: State = {
          correlationId,
          started: Date.now(),
          log: rootLog.child({ correlationId, route: event.routeKey ?? `${event.requestContext?.http?.method} ${event.rawPath}` }),
        };
        states.set(request.context, state);
      },
      after: async (request) => {
        const state = states.get(request.context)!;
        const status = (request.response as { statusCode?: number })?.statusCode;
        state.log.info('request handled', { status, ms: Date.now() - state.started });
      },
    })
    .use(httpHeaderNormalizer())
    .use(httpCors({ origin: process.env.CORS_ORIGIN ?? '*', headers: 'authorization,content-type,x-correlation-id', exposeHeaders: 'x-correlation-id,retry-after' }))
    .use({
      before: async (request) => {
        const event = request.event;
        const state = states.get(request.context)!;
        if (event.headers?.[AUTHORIZER_OVERRIDE] !== undefined) throw badRequest(`The ${AUTHORIZER_OVERRIDE} header is not accepted`);
        if (spec.access === 'optional') {
          const { caller, reason } = callerFrom(event);
          if (caller) state.caller = caller;
          else if (event.headers?.authorization) throw unauthorized(reason ?? 'Sign in again');
        } else if (spec.access !== 'public') {
          const { caller, reason } = callerFrom(event);
          if (!caller) throw unauthorized(reason ?? 'Sign in required');
          if (spec.access === 'admin' && caller.role !== 'admin') throw forbidden('This needs an admin account');
          state.caller = caller;
        }
        state.parsedBody = parseBody(event);
      },
      onError: async (request) => {
        const state = states.get(request.context) ?? { correlationId: randomUUID(), log: rootLog, started: Date.now() };
        const err = request.error;
        if (err instanceof HttpError && err.status < 500) {
          state.log.info('request refused', { status: err.status, code: err.code, message: err.message });
          request.response = respond({ status: err.status, body: errorBody(err), headers: err.headers }, state);
        } else {
          state.log.error('request failed', { err });
          request.response = respond({ status: 500, body: internalErrorBody }, state);
        }
      },
    });
}

/** Reusable schemas for path and query parts. */
export const uuidParam = (name: string) => z.object({ [name]: z.string().uuid(`${name} must be a UUID`) });
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};
