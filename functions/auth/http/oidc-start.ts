// The browser starts a sign-in with a provider here and is sent on to the provider's page.
import { z } from 'zod';
import { route } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { identityProviderFor } from '../identity-providers';
import { providerId, returnOrigins, secureCookies } from '../oidc-config';
import { checkReturnTo, startSignIn } from '../oidc';
import { stateCookie } from '../sign-in-cookie';

const pool = getPool('auth');

export const handler = route(
  {
    access: 'public',
    params: z.object({ provider: providerId }),
    query: z.object({ returnTo: z.string().max(2000).optional() }),
  },
  async ({ params, query }) => {
    const provider = identityProviderFor(params.provider);
    const returnTo = checkReturnTo(query.returnTo ?? `${returnOrigins[0]}/`, returnOrigins);
    const started = await startSignIn(pool, provider, returnTo);
    return { status: 302, headers: { location: started.location, 'set-cookie': stateCookie(started.state, 600, secureCookies), 'cache-control': 'no-store' } };
  },
);
