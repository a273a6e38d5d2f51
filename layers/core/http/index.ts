// The middy onion every HTTP handler goes through, outside in: correlation id and request
// log, header names in lower case, CORS, the error mapper (the one place where a refusal
// becomes an HTTP answer), identity from the gateway's authorizer and the access check, the
// JSON body with its size limit, the plain-input rule every value keeps (plain-input.ts),
// and validation. Each layer is its own middleware; `route()` only puts them in order around
// the handler.
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { env, loadConfig } from '../config';
import { log as rootLog, type Logger } from '../log';
import { correlation } from './correlation';
import { cors } from './cors';
import { errorMapper } from './errors';
import { identity } from './identity';
import { jsonBody, MAX_BODY_BYTES } from './json-body';
import { respond, type Reply } from './reply';
import { routeState, type Access, type Caller, type HttpEvent, type HttpResult } from './request';
import { plainInput } from './plain-input';
import { validation } from './validation';
import { plainFailures } from '../invocation';

export { MAX_BODY_BYTES, rawBody } from './json-body';
export { ok, created, accepted, noContent, attachment, type Reply } from './reply';
export type { Access, Caller } from './request';

const settings = loadConfig({
  // who may call the API from a browser: `*`, or the web app's origin
  CORS_ORIGIN: env.origin('*'),
});

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends Schema | undefined, Q extends Schema | undefined, P extends Schema | undefined, A extends Access> {
  access: A;
  body?: B;
  query?: Q;
  params?: P;
  /** Body fields (dotted paths, `*` for any index) whose text may hold tabs and line breaks; see plain-input.ts. */
  freeText?: readonly string[];
}

export interface Request<B, Q, P, C> {
  body: B;
  query: Q;
  params: P;
  caller: C;
  correlationId: string;
  sourceIp: string;
  log: Logger;
  event: HttpEvent;
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
  const core = async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    const state = routeState(context);
    const reply = await handle({
      body: state.body as Out<B>,
      query: state.query as Out<Q>,
      params: state.params as Out<P>,
      caller: state.caller as never,
      correlationId: state.correlationId,
      sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
      log: state.log,
      event,
    });
    return respond(reply, state.correlationId);
  };

  // The error mapper answers every failure of a gateway request; what is left is an event that
  // is not one (a direct invoke on the Lambda endpoint), answered without our stack trace.
  const onion = middy<HttpEvent, HttpResult, Error, Context>(core)
    .use(correlation(rootLog))
    .use(httpHeaderNormalizer())
    .use(cors(settings.CORS_ORIGIN))
    .use(errorMapper())
    .use(identity(spec.access))
    .use(jsonBody({ limit: MAX_BODY_BYTES }))
    .use(plainInput({ freeText: spec.freeText }))
    .use(validation({ params: spec.params, query: spec.query, body: spec.body }));
  // the spec stays readable on the handler: the API description (infra/openapi) is built from it
  return Object.assign(plainFailures('an HTTP function', onion), { spec: spec as RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined, Access> });
}

/** Reusable schemas for path and query parts. */
export const uuidParam = (name: string) => z.object({ [name]: z.string().uuid(`${name} must be a UUID`) });
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};
