// The built-in development identity provider: on local stages it plays Google, Cognito,
// Keycloak or Entra, outside our system, so that OpenID Connect sign-in runs end to end in
// tests and in a browser. It speaks the standard's own wire: discovery, a JWKS, an authorize
// page (page.ts) that redirects back with a code, and a token endpoint that redeems the code
// (once, with PKCE S256 and the client's secret) for an RS256 ID token. It keeps its own keys,
// users and codes (schema dev_idp, migrations/ beside this file) and vouches for whoever signs
// in at its page: that is what makes it a development provider. Its answers are OAuth's own
// (an `error` code and its description), as any provider's are.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { z } from 'zod';
import type { Queryable } from '../../../layers/core/db';

export interface DevClient {
  clientId: string;
  clientSecret: string;
  /** Shown on the page: who asks. */
  name: string;
  redirectUris: string[];
}

const CODE_TTL_SECONDS = 60;
const ID_TOKEN_TTL_SECONDS = 300;
const ALG = 'RS256';

const sha256url = (text: string) => createHash('sha256').update(text).digest('base64url');
const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');

export function discoveryDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [ALG],
    scopes_supported: ['openid', 'email', 'profile'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'email', 'email_verified', 'name'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    authorization_response_iss_parameter_supported: true,
  };
}

/** The newest signing key, made the first time one is needed. */
async function signingKey(db: Queryable): Promise<{ kid: string; jwk: JWK }> {
  const { rows } = await db.query('SELECT kid, private_jwk FROM dev_idp.signing_keys ORDER BY created_at DESC, kid LIMIT 1');
  if (rows[0]) return { kid: rows[0].kid, jwk: rows[0].private_jwk };
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = randomUUID();
  const [priv, pub] = await Promise.all([exportJWK(privateKey), exportJWK(publicKey)]);
  await db.query('INSERT INTO dev_idp.signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3)', [kid, { ...priv, kid, alg: ALG }, { ...pub, kid, alg: ALG, use: 'sig' }]);
  return { kid, jwk: { ...priv, kid, alg: ALG } };
}

/** The JWKS: every public key it has signed with. */
export async function publicKeys(db: Queryable): Promise<{ keys: JWK[] }> {
  await signingKey(db);
  const { rows } = await db.query('SELECT public_jwk FROM dev_idp.signing_keys ORDER BY created_at DESC, kid');
  return { keys: rows.map((r) => r.public_jwk) };
}

export interface AuthorizeRequest {
  client: DevClient;
  redirectUri: string;
  state?: string;
  nonce?: string;
  scope: string;
  codeChallenge: string;
}

/**
 * What the authorize endpoint makes of its parameters. An unknown client or a redirect URI
 * it does not have registered is shown to the person, never redirected to (RFC 6749 4.1.2.1);
 * any other fault goes back to the client as an OAuth error.
 */
export type AuthorizeCheck =
  | { ok: true; request: AuthorizeRequest }
  | { ok: false; show: string }
  | { ok: false; redirect: string };

const param = (params: Record<string, string | undefined>, name: string) => {
  const v = params[name];
  return typeof v === 'string' && v.length > 0 && v.length <= 2000 ? v : undefined;
};

export function checkAuthorizeRequest(issuer: string, clients: DevClient[], params: Record<string, string | undefined>): AuthorizeCheck {
  const client = clients.find((c) => c.clientId === params.client_id);
  if (!client) return { ok: false, show: 'This application is not registered with the provider (unknown client_id).' };
  const redirectUri = param(params, 'redirect_uri');
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) return { ok: false, show: `The redirect_uri is not one that ${client.name} registered.` };
  const state = param(params, 'state');
  const refuse = (error: string, description: string) => ({ ok: false as const, redirect: authorizationAnswer(issuer, redirectUri, state, { error, error_description: description }) });
  if (params.response_type !== 'code') return refuse('unsupported_response_type', 'only response_type=code is supported');
  const scope = param(params, 'scope') ?? '';
  if (!scope.split(' ').includes('openid')) return refuse('invalid_scope', 'the scope must include openid');
  const codeChallenge = param(params, 'code_challenge');
  if (!codeChallenge || params.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    return refuse('invalid_request', 'PKCE is required: code_challenge with code_challenge_method=S256');
  }
  return { ok: true, request: { client, redirectUri, state, nonce: param(params, 'nonce'), scope, codeChallenge } };
}

/** The redirect back to the client, with the provider's own issuer (RFC 9207). */
function authorizationAnswer(issuer: string, redirectUri: string, state: string | undefined, answer: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(answer)) url.searchParams.set(k, v);
  if (state !== undefined) url.searchParams.set('state', state);
  url.searchParams.set('iss', issuer);
  return url.toString();
}

export const person = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('must be an email address').max(254)),
  name: z.string().trim().max(100).optional(),
  emailVerified: z.boolean(),
});
export type Person = z.infer<typeof person>;

/** The person declined: the client hears access_denied. */
export const deniedAnswer = (issuer: string, request: AuthorizeRequest) =>
  authorizationAnswer(issuer, request.redirectUri, request.state, { error: 'access_denied', error_description: 'the person declined to sign in' });

/** Signs the person in at the provider and sends them back to the client with a code. */
export async function grantCode(db: Queryable, issuer: string, request: AuthorizeRequest, who: Person): Promise<string> {
  const name = who.name || who.email.split('@')[0];
  const { rows } = await db.query(
    `INSERT INTO dev_idp.users (subject, email, name, email_verified) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, email_verified = EXCLUDED.email_verified, updated_at = now()
     RETURNING subject`,
    [`dev-${randomBytes(8).toString('hex')}`, who.email, name, who.emailVerified],
  );
  const code = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO dev_idp.authorization_codes (code_hash, client_id, redirect_uri, subject, scope, nonce, code_challenge, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
    [sha256hex(code), request.client.clientId, request.redirectUri, rows[0].subject, request.scope, request.nonce ?? null, request.codeChallenge, CODE_TTL_SECONDS],
  );
  return authorizationAnswer(issuer, request.redirectUri, request.state, { code });
}

/** A token endpoint's answer, as RFC 6749 section 5 words it. */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const oauthError = (status: number, error: string, description: string, headers?: Record<string, string>): TokenAnswer => ({
  status,
  body: { error, error_description: description },
  headers,
});

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(sha256hex(a));
  const y = Buffer.from(sha256hex(b));
  return timingSafeEqual(x, y);
};

/** The client's credentials from HTTP Basic (RFC 6749 2.3.1: each part form-encoded) or the form. */
function clientCredentials(form: URLSearchParams, authorization: string | undefined): { id?: string; secret?: string; basic: boolean } {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (m) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { basic: true };
    try {
      const unform = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)), basic: true };
    } catch {
      return { basic: true };
    }
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined, basic: false };
}

/** Redeems an authorization code, once, for an ID token. */
export async function redeemCode(db: Queryable, issuer: string, clients: DevClient[], form: URLSearchParams, authorization: string | undefined, now = Date.now()): Promise<TokenAnswer> {
  const credentials = clientCredentials(form, authorization);
  const client = clients.find((c) => c.clientId === credentials.id);
  if (!client || credentials.secret === undefined || !sameSecret(credentials.secret, client.clientSecret)) {
    return oauthError(401, 'invalid_client', 'client authentication failed', credentials.basic ? { 'www-authenticate': 'Basic realm="dev-idp"' } : undefined);
  }
  if (form.get('grant_type') !== 'authorization_code') return oauthError(400, 'unsupported_grant_type', 'only grant_type=authorization_code is supported');
  const code = form.get('code');
  if (!code || code.length > 200) return oauthError(400, 'invalid_request', 'code is required');
  const { rows } = await db.query(
    `UPDATE dev_idp.authorization_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL
     RETURNING client_id, redirect_uri, subject, scope, nonce, code_challenge, auth_time, expires_at > now() AS live`,
    [sha256hex(code)],
  );
  const grant = rows[0];
  if (!grant || !grant.live || grant.client_id !== client.clientId) return oauthError(400, 'invalid_grant', 'the code is unknown, used, expired or another client\'s');
  if (form.get('redirect_uri') !== grant.redirect_uri) return oauthError(400, 'invalid_grant', 'redirect_uri is not the one the code was issued for');
  const verifier = form.get('code_verifier') ?? '';
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || sha256url(verifier) !== grant.code_challenge) {
    return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
  }
  const user = (await db.query('SELECT subject, email, name, email_verified FROM dev_idp.users WHERE subject = $1', [grant.subject])).rows[0];
  const key = await signingKey(db);
  const iat = Math.floor(now / 1000);
  const idToken = await new SignJWT({
    email: user.email,
    email_verified: user.email_verified,
    name: user.name,
    auth_time: Math.floor(grant.auth_time.getTime() / 1000),
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
  })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(user.subject)
    .setAudience(client.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ID_TOKEN_TTL_SECONDS)
    .sign(await importJWK(key.jwk, ALG));
  return {
    status: 200,
    body: { access_token: randomBytes(32).toString('base64url'), token_type: 'Bearer', expires_in: ID_TOKEN_TTL_SECONDS, id_token: idToken, scope: grant.scope },
    headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
  };
}
