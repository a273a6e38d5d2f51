// The auth domain: accounts, sessions, sign-in throttling and password resets, over the
// auth database. Handlers call these; nothing here knows about HTTP events.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Conflict, InvalidInput, NotFound, NotSignedIn, TooManyTries } from '../../layers/core/errors';
import { PgCode, pgCode, withTransaction, type Queryable } from '../../layers/core/db';
import { issueAccessToken, type Role, type TokenKeys } from '../../layers/core/jwt';
import { decoyHash, hashPassword, verifyPassword } from './passwords';
import { ACCOUNT_RULE, CLIENT_RULE, lockSeconds, type ThrottleRule } from './throttle';
import type { Mailer } from './mailer';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

const toUser = (r: any): User => ({ id: r.id, email: r.email, name: r.name, role: r.role, createdAt: r.created_at.toISOString() });

export async function registerUser(db: Queryable, input: { email: string; password: string; name: string; role?: Role }, cost: number): Promise<User> {
  const hash = await hashPassword(input.password, cost);
  try {
    const { rows } = await db.query(
      'INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [randomUUID(), input.email, input.name, hash, input.role ?? 'customer'],
    );
    return toUser(rows[0]);
  } catch (err) {
    if (pgCode(err) === PgCode.uniqueViolation) throw new Conflict('An account with this email already exists');
    throw err;
  }
}

export async function findUser(db: Queryable, id: string): Promise<User> {
  const { rows } = await db.query('SELECT * FROM users WHERE id = $1', [id]);
  if (!rows[0]) throw new NotFound('User');
  return toUser(rows[0]);
}

async function throttleState(db: Queryable, key: string): Promise<number> {
  const { rows } = await db.query('SELECT extract(epoch FROM locked_until - now()) AS wait FROM login_throttle WHERE key = $1 AND locked_until > now()', [key]);
  return rows[0] ? Math.ceil(Number(rows[0].wait)) : 0;
}

/** Counts a failure atomically; a window older than the rule's starts afresh. */
async function recordFailure(db: Queryable, key: string, rule: ThrottleRule): Promise<void> {
  const { rows } = await db.query(
    `INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN login_throttle.window_start < now() - make_interval(secs => $2) THEN 1 ELSE login_throttle.failures + 1 END,
       window_start = CASE WHEN login_throttle.window_start < now() - make_interval(secs => $2) THEN now() ELSE login_throttle.window_start END
     RETURNING failures`,
    [key, rule.windowSeconds],
  );
  const seconds = lockSeconds(rule, rows[0].failures);
  if (seconds > 0) await db.query('UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2) WHERE key = $1', [key, seconds]);
}

export interface SignIn {
  token: string;
  expiresAt: string;
  user: User;
}

export async function signIn(
  pool: pg.Pool,
  keys: TokenKeys,
  input: { email: string; password: string; clientIp: string },
  cost: number,
): Promise<SignIn> {
  const accountKey = `account:${input.email.toLowerCase()}`;
  const clientKey = `client:${input.clientIp}`;
  const wait = Math.max(await throttleState(pool, accountKey), await throttleState(pool, clientKey));
  if (wait > 0) throw new TooManyTries(`Too many failed sign-ins; try again in ${wait} s`, wait);

  const { rows } = await pool.query('SELECT * FROM users WHERE email = $1', [input.email]);
  const row = rows[0];
  const valid = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash(cost)));
  if (!row || !valid) {
    await recordFailure(pool, accountKey, ACCOUNT_RULE);
    await recordFailure(pool, clientKey, CLIENT_RULE);
    throw new NotSignedIn('Email or password is wrong');
  }
  await pool.query('DELETE FROM login_throttle WHERE key = $1', [accountKey]);
  return openSession(pool, keys, toUser(row), input.clientIp);
}

export async function openSession(db: Queryable, keys: TokenKeys, user: User, clientIp: string): Promise<SignIn> {
  const sessionId = randomUUID();
  const { token, expiresAt } = await issueAccessToken(keys, { userId: user.id, role: user.role, sessionId });
  await db.query('INSERT INTO sessions (id, user_id, expires_at, client_ip) VALUES ($1, $2, $3, $4)', [sessionId, user.id, expiresAt, clientIp]);
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

export async function updateProfile(db: Queryable, userId: string, changes: { name?: string; email?: string }): Promise<User> {
  try {
    const { rows } = await db.query(
      'UPDATE users SET name = coalesce($2, name), email = coalesce($3, email), updated_at = now() WHERE id = $1 RETURNING *',
      [userId, changes.name ?? null, changes.email ?? null],
    );
    if (!rows[0]) throw new NotFound('User');
    return toUser(rows[0]);
  } catch (err) {
    if (pgCode(err) === PgCode.uniqueViolation) throw new Conflict('An account with this email already exists');
    throw err;
  }
}

/** Changing the password closes every other session of the account. */
export async function changePassword(pool: pg.Pool, caller: { userId: string; sessionId: string }, current: string, next: string, cost: number): Promise<void> {
  const { rows } = await pool.query('SELECT password_hash FROM users WHERE id = $1', [caller.userId]);
  if (!rows[0]) throw new NotFound('User');
  if (!(await verifyPassword(current, rows[0].password_hash))) throw new NotSignedIn('Current password is wrong');
  const hash = await hashPassword(next, cost);
  await withTransaction(pool, async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [caller.userId, hash]);
    await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL', [caller.userId, caller.sessionId]);
  });
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sends a reset link when the account exists; says nothing either way. */
export async function requestPasswordReset(pool: pg.Pool, mailer: (db: Queryable) => Mailer, email: string, ttlSeconds: number): Promise<void> {
  const { rows } = await pool.query('SELECT id, email FROM users WHERE email = $1', [email]);
  if (!rows[0]) return;
  const token = randomBytes(32).toString('base64url');
  await withTransaction(pool, async (tx) => {
    await tx.query(
      'INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))',
      [tokenHash(token), rows[0].id, ttlSeconds],
    );
    await mailer(tx).send({
      to: rows[0].email,
      subject: 'Reset your cinema password',
      body: `Use this token to choose a new password within ${Math.round(ttlSeconds / 60)} minutes: ${token}`,
    });
  });
}

export async function resetPassword(pool: pg.Pool, token: string, password: string, cost: number): Promise<void> {
  const hash = await hashPassword(password, cost);
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query(
      `UPDATE password_resets SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [tokenHash(token)],
    );
    if (!rows[0]) throw new InvalidInput('Reset token is invalid, used or expired');
    await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [rows[0].user_id, hash]);
    await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [rows[0].user_id]);
    await tx.query(`DELETE FROM login_throttle WHERE key = 'account:' || (SELECT lower(email::text) FROM users WHERE id = $1)`, [rows[0].user_id]);
  });
}
