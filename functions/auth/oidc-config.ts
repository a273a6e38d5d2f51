// The identity providers auth offers for sign-in, each configured by issuer URL, client id
// and secret (Google, Cognito, Keycloak, Entra: any OpenID Connect provider). Read by the
// sign-in handlers only, so that a fault here never stops a password sign-in.
import { z } from 'zod';
import { ConfigError, env, loadConfig } from '../../layers/core/config';
import { NotFound } from '../../layers/core/errors';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET_DEFAULT, DEV_PROVIDER_ID, callbackUrl, devIssuer } from './dev-idp/registration';

export const providerId = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'must be a provider id such as google');

const emptyIsUnset = (v: unknown) => (v === '' ? undefined : v);

/** A variable holding JSON of the given shape. */
const json = <T extends z.ZodType>(schema: T, fallback: string) =>
  z.preprocess(
    emptyIsUnset,
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON' });
          return z.NEVER;
        }
      })
      .pipe(schema),
  );

const provider = z.strictObject({
  id: providerId,
  name: z.string().min(1).max(60),
  issuer: z.url(),
  clientId: z.string().min(1).max(200),
});

const settings = loadConfig({
  // the gateway's URL as browsers reach it: the callbacks registered with providers are under it
  API_URL: env.url('http://127.0.0.1:4000'),
  // [{"id":"google","name":"Google","issuer":"https://accounts.google.com","clientId":"…"}]
  OIDC_PROVIDERS: json(z.array(provider).max(10), '[]'),
  // {"google":"<client secret>"}: one secret per provider above
  OIDC_CLIENT_SECRETS: json(z.record(z.string(), z.string().min(1).max(500)), '{}'),
  // where the callback may send the browser back (the web app's origins, comma-separated); unset: the gateway's own
  OIDC_RETURN_ORIGINS: z.preprocess(emptyIsUnset, z.string().optional()),
  // the built-in development identity provider: on for local stages only
  OIDC_DEV_PROVIDER: z.enum(['on', 'off']).default('off'),
  DEV_IDP_CLIENT_SECRET: z.preprocess(emptyIsUnset, env.secret(32).default(DEV_CLIENT_SECRET_DEFAULT)),
});

export interface ProviderSettings {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Our callback, as registered with the provider. */
  redirectUri: string;
}

function providersOf(s: typeof settings): ProviderSettings[] {
  const configured = s.OIDC_PROVIDERS.map((p) => {
    const clientSecret = s.OIDC_CLIENT_SECRETS[p.id];
    if (!clientSecret) throw new ConfigError(`Invalid configuration: OIDC_CLIENT_SECRETS: no secret for provider "${p.id}"`);
    return { ...p, clientSecret, redirectUri: callbackUrl(s.API_URL, p.id) };
  });
  const dev: ProviderSettings[] =
    s.OIDC_DEV_PROVIDER === 'on'
      ? [{ id: DEV_PROVIDER_ID, name: 'Development identity provider', issuer: devIssuer(s.API_URL), clientId: DEV_CLIENT_ID, clientSecret: s.DEV_IDP_CLIENT_SECRET, redirectUri: callbackUrl(s.API_URL, DEV_PROVIDER_ID) }]
      : [];
  const all = [...configured, ...dev];
  const ids = all.map((p) => p.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new ConfigError(`Invalid configuration: OIDC_PROVIDERS: provider "${twice}" is named twice${twice === DEV_PROVIDER_ID ? ' (dev is the development provider)' : ''}`);
  return all;
}

function originsOf(s: typeof settings): string[] {
  const listed = s.OIDC_RETURN_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean) ?? [new URL(s.API_URL).origin];
  for (const o of listed) {
    if (!URL.canParse(o) || new URL(o).origin !== o) throw new ConfigError(`Invalid configuration: OIDC_RETURN_ORIGINS: "${o}" is not an origin such as https://cinema.example`);
  }
  return listed;
}

export const providers = providersOf(settings);
export const returnOrigins = originsOf(settings);
/** The state cookie is Secure when browsers reach the gateway over HTTPS. */
export const secureCookies = new URL(settings.API_URL).protocol === 'https:';

export function providerSettings(id: string): ProviderSettings {
  const found = providers.find((p) => p.id === id);
  if (!found) throw new NotFound('Identity provider');
  return found;
}
