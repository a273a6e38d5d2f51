// The gateway's Lambda authorizer, in front of every protected route. It always lets the
// request through to the function, with either the caller's identity or the reason there
// is none: the function's middleware then answers 401/403 in the platform's JSON error
// format, with a message that says what is wrong (expired, revoked, forged…).
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { getPool } from '../../../layers/core/db';
import { bearerToken, verifyAccessToken } from '../../../layers/core/jwt';
import { log } from '../../../layers/core/log';
import { plainFailures } from '../../../layers/core/invocation';
import { keys } from '../config';
import { liveSession } from '../sessions';

const pool = getPool('auth');

type Decision = { isAuthorized: true; context: Record<string, string> };
const anonymous = (reason: string): Decision => ({ isAuthorized: true, context: { reason } });

// A failure (the database away) is answered without our stack trace (layers/core/invocation.ts);
// the gateway then refuses the request.
export const handler = plainFailures('authorizer', async (event: APIGatewayRequestAuthorizerEventV2): Promise<Decision> => {
  const header = event?.headers?.authorization ?? event?.headers?.Authorization;
  if (!header) return anonymous('Sign in required: send Authorization: Bearer <token>');
  const token = bearerToken(header);
  if (!token) return anonymous('Authorization header must be "Bearer <token>"');
  const verified = await verifyAccessToken(keys, token);
  if (!verified.ok) return anonymous(verified.reason);
  try {
    const session = await liveSession(pool, verified.claims.sessionId, verified.claims.userId);
    if (!session) return anonymous('Session has ended; sign in again');
    return { isAuthorized: true, context: { userId: verified.claims.userId, role: session.role, sessionId: verified.claims.sessionId } };
  } catch (err) {
    log.error('authorizer could not check the session', { err });
    throw new Error('Unauthorized');
  }
});
