// Signing in with an OpenID Connect provider: the authorization code flow with PKCE, state
// and nonce. start → the provider's page → callback, which checks the state against the
// browser's cookie, redeems the code, has the ID token verified (oidc-client.ts), links the
// identity to an account by a verified email only, and hands the app a one-time code in its
// URL's fragment; the app exchanges that code for our session token (never in a URL).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { InvalidInput, NotSignedIn } from '../../layers/core/errors';
import { withTransaction, type Queryable } from '../../layers/core/db';
import type { TokenKeys } from '../../layers/core/jwt';
import type { IdentityClaims, IdentityProvider } from './oidc-client';
import { openSession, type SignIn } from './sessions';
import { findUser } from './users';

const SIGN_IN_SECONDS = 10 * 60;
const HANDOFF_SECONDS = 60;

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

/** The page of the web app the browser comes back to: one of the allowed origins, with no fragment of its own. */
export function checkReturnTo(returnTo: string, allowedOrigins: string[]): string {
  const url = URL.canParse(returnTo) ? new URL(returnTo) : undefined;
  if (!url || !allowedOrigins.includes(url.origin)) throw new InvalidInput(`returnTo must be a page of the web app (${allowedOrigins.join(', ')})`);
  if (url.hash) throw new InvalidInput('returnTo must not have a fragment: the sign-in answer goes there');
  return url.toString();
}

const withFragment = (returnTo: string, answer: Record<string, string>) => `${returnTo}#${new URLSearchParams(answer)}`;

export interface StartedSignIn {
  /** The provider's authorization URL the browser goes to. */
  location: string;
  /** Kept by the browser (a cookie) until the callback: binds the sign-in to this browser. */
  state: string;
}

export async function startSignIn(db: Queryable, provider: IdentityProvider, returnTo: string): Promise<StartedSignIn> {
  const metadata = await provider.metadata();
  const state = secret();
  const nonce = secret();
  const codeVerifier = secret();
  await db.query(`DELETE FROM oidc_sign_ins WHERE expires_at < now() - interval '1 day'`);
  await db.query(
    `INSERT INTO oidc_sign_ins (state_hash, provider, nonce_hash, code_verifier, return_to, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
    [hashOf(state), provider.settings.id, hashOf(nonce), codeVerifier, returnTo, SIGN_IN_SECONDS],
  );
  const url = new URL(metadata.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: provider.settings.clientId,
    redirect_uri: provider.settings.redirectUri,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { location: url.toString(), state };
}

export interface ProviderAnswer {
  state: string;
  code?: string;
  /** The provider's own error (access_denied when the person cancelled). */
  error?: string;
  /** RFC 9207: the issuer that answered, when the provider says. */
  iss?: string;
  /** The state the browser kept. */
  browserState?: string;
}

const sameText = (a: string, b: string) => timingSafeEqual(Buffer.from(hashOf(a)), Buffer.from(hashOf(b)));

/** The callback: where the browser goes next, the app's page with a one-time code (or the provider's error). */
export async function finishSignIn(pool: pg.Pool, provider: IdentityProvider, answer: ProviderAnswer): Promise<{ location: string }> {
  if (!answer.browserState || !sameText(answer.browserState, answer.state)) {
    throw new NotSignedIn('This sign-in was not started in this browser; start it again');
  }
  const { rows } = await pool.query(
    `UPDATE oidc_sign_ins SET finished_at = now()
      WHERE state_hash = $1 AND provider = $2 AND finished_at IS NULL AND expires_at > now()
      RETURNING nonce_hash, code_verifier, return_to`,
    [hashOf(answer.state), provider.settings.id],
  );
  const started = rows[0];
  if (!started) throw new InvalidInput('This sign-in is unknown, finished or expired; start it again');
  if (answer.error) return { location: withFragment(started.return_to, { oidc_error: answer.error.slice(0, 100) }) };
  const metadata = await provider.metadata();
  if (answer.iss !== undefined && answer.iss !== metadata.issuer) throw new NotSignedIn('The answer comes from another issuer than this provider');
  if (!answer.code) throw new InvalidInput('The provider sent no code');

  const claims = await provider.verifyIdToken(await provider.redeemCode(answer.code, started.code_verifier));
  if (!claims.nonce || !sameText(hashOf(claims.nonce), started.nonce_hash)) throw new NotSignedIn("ID token refused: its nonce is not this sign-in's");
  const userId = await linkAccount(pool, provider.settings.id, claims);

  const code = secret();
  await pool.query(`DELETE FROM oidc_handoffs WHERE expires_at < now() - interval '1 day'`);
  await pool.query('INSERT INTO oidc_handoffs (code_hash, user_id, provider, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))', [
    hashOf(code),
    userId,
    provider.settings.id,
    HANDOFF_SECONDS,
  ]);
  return { location: withFragment(started.return_to, { oidc_code: code }) };
}

/**
 * The account an identity signs in to: the one it was linked to before, else the account
 * with its email — only when the provider has verified that email — else a new account
 * without a password.
 */
async function linkAccount(pool: pg.Pool, provider: string, claims: IdentityClaims): Promise<string> {
  return withTransaction(pool, async (tx) => {
    const linked = await tx.query('SELECT user_id FROM identities WHERE issuer = $1 AND subject = $2', [claims.issuer, claims.subject]);
    if (linked.rows[0]) return linked.rows[0].user_id as string;
    if (!claims.email) throw new NotSignedIn('The identity provider did not say the email address; it is needed for an account');
    if (!claims.emailVerified) throw new NotSignedIn(`The identity provider has not verified ${claims.email}; only a verified email signs in to an account`);
    await tx.query(`INSERT INTO users (id, email, name, password_hash, role) VALUES ($1, $2, $3, NULL, 'customer') ON CONFLICT (email) DO NOTHING`, [
      randomUUID(),
      claims.email,
      claims.name ?? claims.email.split('@')[0],
    ]);
    const user = await tx.query('SELECT id FROM users WHERE email = $1', [claims.email]);
    await tx.query('INSERT INTO identities (issuer, subject, user_id, provider) VALUES ($1, $2, $3, $4) ON CONFLICT (issuer, subject) DO NOTHING', [
      claims.issuer,
      claims.subject,
      user.rows[0].id,
      provider,
    ]);
    const identity = await tx.query('SELECT user_id FROM identities WHERE issuer = $1 AND subject = $2', [claims.issuer, claims.subject]);
    return identity.rows[0].user_id as string;
  });
}

/** The app's one-time code, once and soon, for our session. */
export async function exchangeSignInCode(db: Queryable, keys: TokenKeys, code: string, origin: { clientIp: string; userAgent?: string }): Promise<SignIn> {
  const { rows } = await db.query(
    'UPDATE oidc_handoffs SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id, provider',
    [hashOf(code)],
  );
  if (!rows[0]) throw new InvalidInput('Sign-in code is invalid, used or expired');
  const user = await findUser(db, rows[0].user_id);
  return openSession(db, keys, user, { ...origin, signedInWith: `oidc:${rows[0].provider}` });
}
