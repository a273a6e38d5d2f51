// Who calls, as the gateway's authorizer found it, and whether they may call this route.
// The authorizer always lets a request through with either an identity or the reason there
// is none, so the refusal is ours to word (expired, revoked, forged…).
import { InvalidInput, NotAllowed, NotSignedIn } from '../errors';
import { ROLES, type Role } from '../jwt';
import { routeState, type Access, type Caller, type HttpEvent, type HttpMiddleware } from './request';

// serverless-offline would take an identity from this header: a request can never supply its own.
const AUTHORIZER_OVERRIDE = 'sls-offline-authorizer-override';

export function callerFrom(event: HttpEvent): { caller?: Caller; reason?: string } {
  const ctx = (event.requestContext as { authorizer?: { lambda?: Record<string, unknown> } }).authorizer?.lambda;
  if (!ctx) return {};
  if (typeof ctx.userId === 'string' && typeof ctx.sessionId === 'string' && ROLES.includes(ctx.role as Role)) {
    return { caller: { userId: ctx.userId, role: ctx.role as Role, sessionId: ctx.sessionId } };
  }
  return { reason: typeof ctx.reason === 'string' ? ctx.reason : undefined };
}

export function identity(access: Access): HttpMiddleware {
  return {
    before: async (request) => {
      const event = request.event;
      if (event.headers?.[AUTHORIZER_OVERRIDE] !== undefined) throw new InvalidInput(`The ${AUTHORIZER_OVERRIDE} header is not accepted`);
      if (access === 'public') return;
      const { caller, reason } = callerFrom(event);
      if (access === 'optional') {
        if (caller) routeState(request.context).caller = caller;
        else if (event.headers?.authorization) throw new NotSignedIn(reason ?? 'Sign in again');
        return;
      }
      if (!caller) throw new NotSignedIn(reason ?? 'Sign in required');
      if (access === 'admin' && caller.role !== 'admin') throw new NotAllowed('This needs an admin account');
      if (access === 'door' && caller.role !== 'door' && caller.role !== 'admin') throw new NotAllowed('This needs a door staff account');
      routeState(request.context).caller = caller;
    },
  };
}
