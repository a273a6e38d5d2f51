// The outermost layer: every request gets a correlation id (the caller's, else a new one)
// and a logger that carries it, and leaves one line saying how it went. The caller's id is
// kept only when it has a sane shape: it goes into our logs, our events and the answer's
// header, so anything else (a line break, markup, a kilobyte) is replaced, never echoed.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log';
import { beginRoute, routeState, type HttpMiddleware } from './request';

/** 1–64 characters of letters, digits and `._:-` (a UUID, a trace id, `req-42`). */
export const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function saneCorrelationId(sent: string | undefined): string | undefined {
  return sent !== undefined && CORRELATION_ID.test(sent) ? sent : undefined;
}

export function correlation(root: Logger): HttpMiddleware {
  return {
    before: async (request) => {
      const event = request.event;
      const correlationId = saneCorrelationId(event.headers?.['x-correlation-id']) ?? randomUUID();
      const route = event.routeKey ?? `${event.requestContext?.http?.method} ${event.rawPath}`;
      beginRoute(request.context, { correlationId, started: Date.now(), log: root.child({ correlationId, route }) });
    },
    after: async (request) => {
      const state = routeState(request.context);
      const status = (request.response as { statusCode?: number } | null)?.statusCode;
      state.log.info('request handled', { status, ms: Date.now() - state.started });
    },
  };
}
