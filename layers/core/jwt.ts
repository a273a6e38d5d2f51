// Access tokens: HS256 JWTs signed by auth. Only HS256 is accepted on the way in, so a
// token that says `alg: none` or names another algorithm is refused by jose itself.
import { SignJWT, jwtVerify, errors } from 'jose';

/** door: staff who check tickets in at the door (and nothing of an admin's) */
export type Role = 'customer' | 'admin' | 'door';
export const ROLES: readonly Role[] = ['customer', 'admin', 'door'];

export interface AccessClaims {
  userId: string;
  role: Role;
  sessionId: string;
}

const ISSUER = 'cinema-auth';
const AUDIENCE = 'cinema';

export interface TokenKeys {
  secret: Uint8Array;
  ttlSeconds: number;
}

export function tokenKeys(secret: string, ttlSeconds: number): TokenKeys {
  return { secret: new TextEncoder().encode(secret), ttlSeconds };
}

export async function issueAccessToken(keys: TokenKeys, claims: AccessClaims, now = Date.now()): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor(now / 1000);
  const exp = iat + keys.ttlSeconds;
  const token = await new SignJWT({ role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(keys.secret);
  return { token, expiresAt: new Date(exp * 1000) };
}

export type VerifyResult = { ok: true; claims: AccessClaims; expiresAt: Date } | { ok: false; reason: string };

export async function verifyAccessToken(keys: TokenKeys, token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, keys.secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || !ROLES.includes(role as Role)) {
      return { ok: false, reason: 'Access token is missing required claims' };
    }
    return { ok: true, claims: { userId: payload.sub, role: role as Role, sessionId: payload.sid }, expiresAt: new Date((payload.exp ?? 0) * 1000) };
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { ok: false, reason: 'Access token has expired' };
    if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return { ok: false, reason: 'Access token uses an algorithm that is not accepted' };
    if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'Access token signature is invalid' };
    if (err instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: `Access token claim "${err.claim}" is invalid` };
    return { ok: false, reason: 'Access token is malformed' };
  }
}

/** `Authorization: Bearer <token>` → token, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}
