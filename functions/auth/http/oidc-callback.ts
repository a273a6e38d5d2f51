// The provider sends the browser back here; it goes on to the web app with a one-time code in
// the fragment of its URL (browsers never send a fragment to a server, so no log keeps it).
import { z } from 'zod';
import { route } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { identityProviderFor } from '../identity-providers';
import { providerId, secureCookies } from '../oidc-config';
import { finishSignIn } from '../oidc';
import { browserState, clearedStateCookie } from '../sign-in-cookie';

const pool = getPool('auth');

export const handler = route(
  {
    access: 'public',
    params: z.object({ provider: providerId }),
    // providers add parameters of their own (Google: scope, authuser, prompt): those are ignored
    query: z.object({
      state: z.string().min(1).max(500),
      code: z.string().min(1).max(2000).optional(),
      error: z.string().min(1).max(200).optional(),
      iss: z.string().max(500).optional(),
    }),
  },
  async ({ params, query, event }) => {
    const provider = identityProviderFor(params.provider);
    const { location } = await finishSignIn(pool, provider, { ...query, browserState: browserState(event) });
    return { status: 302, headers: { location, 'set-cookie': clearedStateCookie(secureCookies), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
  },
);
