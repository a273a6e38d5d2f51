// Sessions: what an access token stands for. Opening one issues the token; ending one makes
// its token stop working at once (the authorizer asks liveSession on every request). An
// account sees its open sessions and may end any of them.
import { randomUUID } from 'node:crypto';
import { NotFound } from '../../layers/core/errors';
import type { Queryable } from '../../layers/core/db';
import { issueAccessToken, type Role, type TokenKeys } from '../../layers/core/jwt';
import type { User } from './users';

export interface SignIn {
  token: string;
  expiresAt: string;
  user: User;
}

/** Where a sign-in came from, as the session list shows it. */
export interface Origin {
  clientIp: string;
  userAgent?: string;
  /** 'password', or 'oidc:<provider>'. */
  signedInWith: string;
}

const USER_AGENT_MAX = 200;

export async function openSession(db: Queryable, keys: TokenKeys, user: User, origin: Origin): Promise<SignIn> {
  const sessionId = randomUUID();
  const { token, expiresAt } = await issueAccessToken(keys, { userId: user.id, role: user.role, sessionId });
  await db.query('INSERT INTO sessions (id, user_id, expires_at, client_ip, user_agent, signed_in_with) VALUES ($1, $2, $3, $4, $5, $6)', [
    sessionId,
    user.id,
    expiresAt,
    origin.clientIp,
    origin.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
    origin.signedInWith,
  ]);
  return { token, expiresAt: expiresAt.toISOString(), user };
}

export async function revokeSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
}

/** The authorizer's question: is this session still open, and with which role now? */
export async function liveSession(db: Queryable, sessionId: string, userId: string): Promise<{ role: Role } | undefined> {
  const { rows } = await db.query(
    `SELECT u.role FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [sessionId, userId],
  );
  return rows[0] ? { role: rows[0].role } : undefined;
}

export interface SessionView {
  id: string;
  signedInAt: string;
  expiresAt: string;
  clientIp: string | null;
  userAgent: string | null;
  signedInWith: string;
  /** The session the request was made with. */
  current: boolean;
}

export interface Caller {
  userId: string;
  sessionId: string;
}

/** The caller's open sessions, newest first. */
export async function listSessions(db: Queryable, caller: Caller): Promise<SessionView[]> {
  const { rows } = await db.query(
    `SELECT id, created_at, expires_at, client_ip, user_agent, signed_in_with FROM sessions
      WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC, id`,
    [caller.userId],
  );
  return rows.map((r) => ({
    id: r.id,
    signedInAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    clientIp: r.client_ip,
    userAgent: r.user_agent,
    signedInWith: r.signed_in_with,
    current: r.id === caller.sessionId,
  }));
}

/** Ends one of the caller's open sessions (their own current one too); another's is not found. */
export async function endSession(db: Queryable, caller: Caller, sessionId: string): Promise<void> {
  const { rowCount } = await db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()', [sessionId, caller.userId]);
  if (!rowCount) throw new NotFound('Session');
}

/** Ends every open session of the caller's but the one asking; says how many ended. */
export async function endOtherSessions(db: Queryable, caller: Caller): Promise<number> {
  const { rowCount } = await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL AND expires_at > now()', [caller.userId, caller.sessionId]);
  return rowCount ?? 0;
}

/** Whether the caller's session was opened within the last `seconds` (a fresh sign-in). */
export async function signedInWithin(db: Queryable, sessionId: string, seconds: number): Promise<boolean> {
  const { rows } = await db.query('SELECT created_at > now() - make_interval(secs => $2) AS fresh FROM sessions WHERE id = $1', [sessionId, seconds]);
  return rows[0]?.fresh === true;
}
