// An OpenID Connect provider as auth reaches it: its discovery document (cached), its token
// endpoint, and the ID tokens it signs, checked by jose against its JWKS — signature by one of
// its keys with an asymmetric algorithm it announces (never `none`, never a shared secret),
// issuer, audience (and azp), expiry. The nonce is the sign-in's to check (oidc.ts).
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { NotSignedIn } from '../../layers/core/errors';
import type { ProviderSettings } from './oidc-config';

const metadataSchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});
export type ProviderMetadata = z.infer<typeof metadataSchema>;

/** What a verified ID token says about the person. */
export interface IdentityClaims {
  issuer: string;
  subject: string;
  nonce?: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
}

export interface IdentityProvider {
  readonly settings: ProviderSettings;
  metadata(): Promise<ProviderMetadata>;
  /** Redeems an authorization code (with its PKCE verifier) for the ID token. */
  redeemCode(code: string, codeVerifier: string): Promise<string>;
  verifyIdToken(idToken: string): Promise<IdentityClaims>;
}

const ASYMMETRIC = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']);
const METADATA_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 30;

/** RFC 6749 2.3.1: the client id and secret are form-encoded before they go into Basic. */
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

function refusal(err: unknown, issuer: string): NotSignedIn | undefined {
  const refused = (why: string) => new NotSignedIn(`ID token refused: ${why}`);
  if (err instanceof errors.JWTExpired) return refused('it has expired');
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return refused(`its issuer is not ${issuer}`);
    if (err.claim === 'aud') return refused('its audience is not this client');
    return refused(`its "${err.claim}" claim is invalid (${err.reason})`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return refused('its algorithm is not one the provider signs with');
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return refused("it is not signed by one of the provider's keys");
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return refused('it is malformed');
  return undefined;
}

export function identityProvider(settings: ProviderSettings, opts: { timeoutMs?: number } = {}): IdentityProvider {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  let cached: { metadata: ProviderMetadata; until: number } | undefined;
  let keys: { uri: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;

  async function metadata(): Promise<ProviderMetadata> {
    if (cached && cached.until > Date.now()) return cached.metadata;
    const url = `${settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!res.ok) throw new Error(`identity provider ${settings.id}: discovery answered ${res.status}`);
    const parsed = metadataSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error(`identity provider ${settings.id}: discovery document is not usable: ${parsed.error.message}`);
    // OpenID Connect Discovery 4.3: the document speaks for the issuer it was fetched from, exactly
    if (parsed.data.issuer !== settings.issuer) throw new Error(`identity provider ${settings.id}: discovery names issuer ${parsed.data.issuer}, not ${settings.issuer}`);
    const methods = parsed.data.code_challenge_methods_supported;
    if (methods && !methods.includes('S256')) throw new Error(`identity provider ${settings.id}: does not support PKCE with S256`);
    cached = { metadata: parsed.data, until: Date.now() + METADATA_SECONDS * 1000 };
    return parsed.data;
  }

  function algorithmsOf(m: ProviderMetadata): string[] {
    const announced = m.id_token_signing_alg_values_supported ?? ['RS256'];
    const accepted = announced.filter((a) => ASYMMETRIC.has(a));
    if (!accepted.length) throw new Error(`identity provider ${settings.id}: signs ID tokens with no algorithm we accept (${announced.join(', ')})`);
    return accepted;
  }

  return {
    settings,
    metadata,

    async redeemCode(code, codeVerifier) {
      const m = await metadata();
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: settings.redirectUri, code_verifier: codeVerifier });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      const methods = m.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
      if (methods.includes('client_secret_basic')) {
        headers.authorization = `Basic ${Buffer.from(`${formEncode(settings.clientId)}:${formEncode(settings.clientSecret)}`).toString('base64')}`;
      } else if (methods.includes('client_secret_post')) {
        form.set('client_id', settings.clientId);
        form.set('client_secret', settings.clientSecret);
      } else {
        throw new Error(`identity provider ${settings.id}: takes no client secret (${methods.join(', ')})`);
      }
      const res = await fetch(m.token_endpoint, { method: 'POST', headers, body: form, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      const answer = (await res.json().catch(() => undefined)) as { id_token?: unknown; error?: unknown; error_description?: unknown } | undefined;
      if (!res.ok) {
        if (res.status >= 500 || typeof answer?.error !== 'string') throw new Error(`identity provider ${settings.id}: token endpoint answered ${res.status}`);
        const why = typeof answer.error_description === 'string' ? `${answer.error}: ${answer.error_description.slice(0, 200)}` : answer.error;
        throw new NotSignedIn(`The identity provider refused the sign-in (${why.slice(0, 300)})`);
      }
      if (typeof answer?.id_token !== 'string') throw new NotSignedIn('The identity provider sent no ID token');
      return answer.id_token;
    },

    async verifyIdToken(idToken) {
      const m = await metadata();
      if (keys?.uri !== m.jwks_uri) keys = { uri: m.jwks_uri, set: createRemoteJWKSet(new URL(m.jwks_uri), { timeoutDuration: timeoutMs }) };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(idToken, keys.set, {
          issuer: m.issuer,
          audience: settings.clientId,
          algorithms: algorithmsOf(m),
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'iat', 'exp'],
        }));
      } catch (err) {
        throw refusal(err, m.issuer) ?? err;
      }
      // OpenID Connect Core 3.1.3.7: a token for several audiences names the one it was issued to
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== settings.clientId) throw new NotSignedIn('ID token refused: it was issued to another client (azp)');
      const text = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined);
      return {
        issuer: m.issuer,
        subject: payload.sub!,
        nonce: text(payload.nonce, 500),
        email: text(payload.email, 254),
        // some providers send "true" as a string
        emailVerified: payload.email_verified === true || payload.email_verified === 'true',
        name: text(payload.name, 100),
      };
    },
  };
}
