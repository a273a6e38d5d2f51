// What registering the cinema as a client at the development identity provider amounts to,
// as an operator would do it in Google's or Keycloak's console: the provider's address, the
// client's id and secret, and where the provider may send the browser back. Both sides read
// it here: the provider to know its client, auth to be that client.

/** Where the provider answers under the gateway: its issuer is the gateway's URL and this path. */
export const DEV_IDP_PATH = '/dev-idp';
/** The provider's id among auth's identity providers (/auth/oidc/dev/…). */
export const DEV_PROVIDER_ID = 'dev';
export const DEV_CLIENT_ID = 'cinema-local';
/** It only runs on local stages, where it vouches for anyone anyway; DEV_IDP_CLIENT_SECRET changes it. */
export const DEV_CLIENT_SECRET_DEFAULT = 'dev-identity-provider-client-secret-local-only';

const trimmed = (url: string) => url.replace(/\/+$/, '');

export const devIssuer = (apiUrl: string) => trimmed(apiUrl) + DEV_IDP_PATH;

/** Auth's callback for a provider: the redirect URI registered with it. */
export const callbackUrl = (apiUrl: string, providerId: string) => `${trimmed(apiUrl)}/auth/oidc/${providerId}/callback`;
