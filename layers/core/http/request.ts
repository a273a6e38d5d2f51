// What the HTTP middlewares share about one request: what each layer of the onion learned
// on the way in (its correlation id, who calls, the body), kept with the request's context
// because that is what the handler at the centre is given.
import type { MiddlewareObj, Request as MiddyRequest } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { log as rootLog, type Logger } from '../log';
import type { Role } from '../jwt';

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
/** `door`: door staff or an admin */
export type Access = 'public' | 'optional' | 'signed-in' | 'admin' | 'door';

export interface RouteState {
  correlationId: string;
  log: Logger;
  started: number;
  /** Set by `identity` on routes that are not public. */
  caller?: Caller;
  /** The JSON body as sent (`jsonBody`), then the parts as validated (`validation`). */
  parsedBody?: unknown;
  body?: unknown;
  query?: unknown;
  params?: unknown;
}

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyResultV2;
export type HttpRequest = MiddyRequest<HttpEvent, HttpResult, Error, Context>;
export type HttpMiddleware = MiddlewareObj<HttpEvent, HttpResult, Error, Context>;

const STATE = Symbol('route state');

/** The request's state; one that `correlation` did not begin (an error before it) gets a fresh id. */
export function routeState(context: Context): RouteState {
  const holder = context as Context & { [STATE]?: RouteState };
  return (holder[STATE] ??= { correlationId: randomUUID(), log: rootLog, started: Date.now() });
}

export function beginRoute(context: Context, state: RouteState): void {
  (context as Context & { [STATE]?: RouteState })[STATE] = state;
}
