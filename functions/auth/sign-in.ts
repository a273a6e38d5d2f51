// Signing in with a password, slowed against guessing without letting anyone lock the owner
// out: a device that signed in to the account before (devices.ts) is judged by its own
// failures only; every other attempt by the account's and the client address's.
import type pg from 'pg';
import { NotSignedIn, TooManyTries } from '../../layers/core/errors';
import type { TokenKeys } from '../../layers/core/jwt';
import { decoyHash, verifyPassword } from './passwords';
import { ACCOUNT_RULE, CLIENT_RULE, DEVICE_RULE } from './throttle';
import { forgetFailures, lockedFor, recordFailure } from './limits';
import { deviceSignedIn, knownDevice, trustDevice } from './devices';
import { openSession, type SignIn } from './sessions';
import { toUser } from './users';

export interface PasswordSignIn extends SignIn {
  /** Kept by the device and sent with its next sign-in to this account. */
  deviceToken: string;
}

export async function signIn(
  pool: pg.Pool,
  keys: TokenKeys,
  input: { email: string; password: string; deviceToken?: string; clientIp: string; userAgent?: string },
  cost: number,
): Promise<PasswordSignIn> {
  const device = input.deviceToken ? await knownDevice(pool, input.deviceToken, input.email) : undefined;
  const accountKey = `account:${input.email.toLowerCase()}`;
  const guards = device ? [{ key: `device:${device.id}`, rule: DEVICE_RULE }] : [{ key: accountKey, rule: ACCOUNT_RULE }, { key: `client:${input.clientIp}`, rule: CLIENT_RULE }];
  const wait = Math.max(...(await Promise.all(guards.map((g) => lockedFor(pool, g.key)))));
  if (wait > 0) throw new TooManyTries(`Too many failed sign-ins; try again in ${wait} s`, wait);

  const { rows } = await pool.query('SELECT * FROM users WHERE email = $1', [input.email]);
  const row = rows[0];
  // an unknown email, or an account without a password, costs as much as a wrong password
  const valid = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash(cost)));
  if (!row?.password_hash || !valid) {
    for (const g of guards) await recordFailure(pool, g.key, g.rule);
    throw new NotSignedIn('Email or password is wrong');
  }
  const user = toUser(row);
  let deviceToken: string;
  if (device && input.deviceToken) {
    await forgetFailures(pool, `device:${device.id}`);
    await deviceSignedIn(pool, device.id);
    deviceToken = input.deviceToken;
  } else {
    await forgetFailures(pool, accountKey);
    deviceToken = await trustDevice(pool, user.id);
  }
  const session = await openSession(pool, keys, user, { clientIp: input.clientIp, userAgent: input.userAgent, signedInWith: 'password' });
  return { ...session, deviceToken };
}
