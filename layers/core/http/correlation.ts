// The outermost layer: every request gets a correlation id (the caller's, else a new one)
// and a logger that carries it, and leaves one line saying how it went.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log';
import { beginRoute, routeState, type HttpMiddleware } from './request';

export function correlation(root: Logger): HttpMiddleware {
  return {
    before: async (request) => {
      const event = request.event;
      const correlationId = (event.headers?.['x-correlation-id'] ?? '').slice(0, 100) || randomUUID();
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
