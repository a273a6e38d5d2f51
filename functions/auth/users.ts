// The auth domain's accounts over the auth database: registration, the profile, and the
// sensitive changes that need the password (or, for an account without one, a fresh
// sign-in). Handlers call these; nothing here knows about HTTP events.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { Conflict, InvalidInput, NotFound, NotSignedIn, TooManyTries } from '../../layers/core/errors';
import { PgCode, pgCode, withTransaction, type Queryable } from '../../layers/core/db';
import type { Role } from '../../layers/core/jwt';
import { hashPassword, verifyPassword } from './passwords';
import { REAUTH_RULE } from './throttle';
import { forgetFailures, lockedFor, recordFailure } from './limits';
import { signedInWithin } from './sessions';
import { emailChangedMail, registrationAttemptMail, welcomeMail } from './mails';
import type { Mailer } from './mailer';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export const toUser = (r: any): User => ({ id: r.id, email: r.email, name: r.name, role: r.role, createdAt: r.created_at.toISOString() });

/** An account made by someone trusted (the CLI, the seed): a taken email is a conflict. */
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

/** What a registration answers: what was asked for, nothing that tells a new account from a taken email. */
export interface Registration {
  email: string;
  name: string;
  role: 'customer';
}

/**
 * A customer's own registration. A taken email is answered as a new one would be (the same
 * work: the password is hashed and a mail sent either way); the address's owner is told by
 * mail instead, and the account stays as it was.
 */
export async function registerCustomer(pool: pg.Pool, mailer: (db: Queryable) => Mailer, input: { email: string; password: string; name: string }, cost: number): Promise<Registration> {
  const hash = await hashPassword(input.password, cost);
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query(
      `INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, 'customer')
       ON CONFLICT (email) DO NOTHING RETURNING email`,
      [randomUUID(), input.email, input.name, hash],
    );
    if (rows[0]) return mailer(tx).send(welcomeMail(rows[0].email, input.name));
    const owner = await tx.query('SELECT email FROM users WHERE email = $1', [input.email]);
    await mailer(tx).send(registrationAttemptMail(owner.rows[0]?.email ?? input.email));
  });
  return { email: input.email, name: input.name, role: 'customer' };
}

export async function findUser(db: Queryable, id: string): Promise<User> {
  const { rows } = await db.query('SELECT * FROM users WHERE id = $1', [id]);
  if (!rows[0]) throw new NotFound('User');
  return toUser(rows[0]);
}

export interface Caller {
  userId: string;
  sessionId: string;
}

/** An account without a password of ours proves itself by a sign-in this recent. */
export const FRESH_SIGN_IN_SECONDS = 5 * 60;

/**
 * The caller proves again that they own the account before a sensitive change: with its
 * current password, or, when it has none (opened through an identity provider), with a
 * session opened in the last few minutes. Wrong passwords are throttled per session, so a
 * stolen token cannot guess the password here at leisure.
 */
async function confirmOwner(db: Queryable, caller: Caller, currentPassword: string | undefined, change: string): Promise<{ email: string }> {
  const { rows } = await db.query('SELECT email, password_hash FROM users WHERE id = $1', [caller.userId]);
  if (!rows[0]) throw new NotFound('User');
  const key = `reauth:${caller.sessionId}`;
  const wait = await lockedFor(db, key);
  if (wait > 0) throw new TooManyTries(`Too many wrong passwords; try again in ${wait} s`, wait);
  if (rows[0].password_hash === null) {
    if (!(await signedInWithin(db, caller.sessionId, FRESH_SIGN_IN_SECONDS))) {
      throw new NotSignedIn(`Sign in again to change the ${change}: this account has no password, so it needs a sign-in of the last ${FRESH_SIGN_IN_SECONDS / 60} minutes`);
    }
    return { email: rows[0].email };
  }
  if (currentPassword === undefined) throw new InvalidInput(`Changing the ${change} needs currentPassword`);
  if (!(await verifyPassword(currentPassword, rows[0].password_hash))) {
    await recordFailure(db, key, REAUTH_RULE);
    throw new NotSignedIn('Current password is wrong');
  }
  await forgetFailures(db, key);
  return { email: rows[0].email };
}

/** The name may change freely; the email only once the owner is confirmed, and the old address is told. */
export async function updateProfile(
  pool: pg.Pool,
  mailer: (db: Queryable) => Mailer,
  caller: Caller,
  changes: { name?: string; email?: string; currentPassword?: string },
): Promise<User> {
  let oldEmail: string | undefined;
  if (changes.email !== undefined) {
    const current = await findUser(pool, caller.userId);
    if (current.email.toLowerCase() !== changes.email.toLowerCase()) oldEmail = (await confirmOwner(pool, caller, changes.currentPassword, 'email')).email;
  }
  try {
    return await withTransaction(pool, async (tx) => {
      const { rows } = await tx.query(
        'UPDATE users SET name = coalesce($2, name), email = coalesce($3, email), updated_at = now() WHERE id = $1 RETURNING *',
        [caller.userId, changes.name ?? null, oldEmail ? changes.email : null],
      );
      if (!rows[0]) throw new NotFound('User');
      if (oldEmail) await mailer(tx).send(emailChangedMail(oldEmail, rows[0].email));
      return toUser(rows[0]);
    });
  } catch (err) {
    if (pgCode(err) === PgCode.uniqueViolation) throw new Conflict('An account with this email already exists');
    throw err;
  }
}

/** Changing the password closes every other session of the account. */
export async function changePassword(pool: pg.Pool, caller: Caller, current: string | undefined, next: string, cost: number): Promise<void> {
  await confirmOwner(pool, caller, current, 'password');
  const hash = await hashPassword(next, cost);
  await withTransaction(pool, async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [caller.userId, hash]);
    await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL', [caller.userId, caller.sessionId]);
  });
}

/** The accounts with these emails (compared as auth compares them: regardless of case) or ids. */
export async function customersBy(db: Queryable, by: { emails?: string[]; userIds?: string[] }): Promise<{ userId: string; email: string; name: string }[]> {
  const { rows } = await db.query('SELECT id, email, name FROM users WHERE email = ANY($1::citext[]) OR id = ANY($2::uuid[])', [by.emails ?? [], by.userIds ?? []]);
  return rows.map((r) => ({ userId: r.id, email: r.email, name: r.name }));
}

/**
 * An admin makes someone staff (door, admin) or a customer again: an existing account by its
 * email, or a new one when a password is given. The new role applies from the next request
 * (the authorizer reads it with the session).
 */
export async function grantRole(db: Queryable, input: { email: string; role: Role; name?: string; password?: string }, cost: number): Promise<{ user: User; created: boolean }> {
  const { rows } = await db.query(`UPDATE users SET role = $2, updated_at = now() WHERE email = $1 RETURNING *`, [input.email, input.role]);
  if (rows[0]) return { user: toUser(rows[0]), created: false };
  if (!input.password) throw new NotFound('Account with this email (give a password to create one)');
  return { user: await registerUser(db, { email: input.email, password: input.password, name: input.name ?? 'Door staff', role: input.role }, cost), created: true };
}
