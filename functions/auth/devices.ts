// OWASP's device cookies ("Slow Down Online Guessing Attacks with Device Cookies"): a device
// that signed in to an account holds a token saying so. On its next sign-in to that account it
// is judged by its own failures only, so a lock that someone else's guesses put on the account
// does not keep it out. The token is random; only its hash is kept.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../../layers/core/db';

const DEVICE_DAYS = 180;
/** Devices remembered per account; the least recently used go first. */
const DEVICES_PER_ACCOUNT = 20;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** The device holding `token`, if it signed in to the account of `email` before. */
export async function knownDevice(db: Queryable, token: string, email: string): Promise<{ id: string } | undefined> {
  const { rows } = await db.query(
    `SELECT d.id FROM trusted_devices d JOIN users u ON u.id = d.user_id
      WHERE d.token_hash = $1 AND u.email = $2 AND d.expires_at > now()`,
    [hashOf(token), email],
  );
  return rows[0] ? { id: rows[0].id } : undefined;
}

export async function deviceSignedIn(db: Queryable, deviceId: string): Promise<void> {
  await db.query('UPDATE trusted_devices SET last_used_at = now() WHERE id = $1', [deviceId]);
}

/** Remembers a device that just signed in; returns the token it keeps. */
export async function trustDevice(db: Queryable, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO trusted_devices (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(days => $4))`,
    [randomUUID(), userId, hashOf(token), DEVICE_DAYS],
  );
  await db.query(
    `DELETE FROM trusted_devices WHERE user_id = $1 AND id NOT IN (
       SELECT id FROM trusted_devices WHERE user_id = $1 ORDER BY last_used_at DESC, created_at DESC LIMIT $2)`,
    [userId, DEVICES_PER_ACCOUNT],
  );
  return token;
}
