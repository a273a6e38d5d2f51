// Password resets by mail. A token is random, kept only as a hash, short lived and used
// once; a new one voids every older one, and so does a completed reset. Requests are
// limited per address (quietly: the answer is the same whether or not the limit is reached
// or the account exists) and per client address (told, with when to retry: that says
// nothing about any account).
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { InvalidInput, TooManyTries } from '../../layers/core/errors';
import { withTransaction, type Queryable } from '../../layers/core/db';
import { hashPassword } from './passwords';
import { RESET_ADDRESS_LIMIT, RESET_CLIENT_LIMIT } from './throttle';
import { countRequest } from './limits';
import { passwordResetMail } from './mails';
import type { Mailer } from './mailer';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sends a reset token when the account exists and its address is within its limit; says nothing either way. */
export async function requestPasswordReset(pool: pg.Pool, mailer: (db: Queryable) => Mailer, input: { email: string; clientIp: string }, ttlSeconds: number): Promise<void> {
  const client = await countRequest(pool, `reset-client:${input.clientIp}`, RESET_CLIENT_LIMIT);
  if (client.over) throw new TooManyTries(`Too many reset requests from this client; try again in ${client.retryAfterSeconds} s`, client.retryAfterSeconds);
  const address = await countRequest(pool, `reset-address:${input.email.toLowerCase()}`, RESET_ADDRESS_LIMIT);
  if (address.over) return;
  const { rows } = await pool.query('SELECT id, email FROM users WHERE email = $1', [input.email]);
  if (!rows[0]) return;
  const token = randomBytes(32).toString('base64url');
  await withTransaction(pool, async (tx) => {
    await tx.query('DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [rows[0].id]);
    await tx.query(
      'INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))',
      [tokenHash(token), rows[0].id, ttlSeconds],
    );
    await mailer(tx).send(passwordResetMail(rows[0].email, token, ttlSeconds));
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
    const userId = rows[0].user_id;
    await tx.query('DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [userId]);
    await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, hash]);
    await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
    await tx.query(`DELETE FROM login_throttle WHERE key = 'account:' || (SELECT lower(email::text) FROM users WHERE id = $1)`, [userId]);
  });
}
