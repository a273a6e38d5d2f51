// The cookie that binds a provider sign-in to the browser that started it: set by start,
// checked and cleared by the callback. Without it, someone could send a victim to a callback
// URL of their own sign-in and have the victim signed in to the attacker's account.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const NAME = 'cinema_oidc_state';
const PATH = '/auth/oidc/';

export function stateCookie(state: string, maxAgeSeconds: number, secure: boolean): string {
  // Lax: sent when the provider sends the browser back (a top-level GET from another site)
  return `${NAME}=${state}; Path=${PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export const clearedStateCookie = (secure: boolean) => stateCookie('', 0, secure);

/** The state the browser kept, from HTTP API's cookies (or a plain Cookie header). */
export function browserState(event: APIGatewayProxyEventV2): string | undefined {
  const pairs = event.cookies ?? (event.headers?.cookie ?? '').split(';');
  for (const pair of pairs) {
    const [name, ...value] = pair.trim().split('=');
    if (name === NAME) return value.join('=') || undefined;
  }
  return undefined;
}
