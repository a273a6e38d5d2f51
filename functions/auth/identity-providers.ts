// The one place where configuration becomes the identity providers auth talks to: one client
// per provider for the life of the function, so discovery and keys are fetched once, not per
// sign-in.
import { identityProvider, type IdentityProvider } from './oidc-client';
import { providerSettings, providers } from './oidc-config';

const clients = new Map<string, IdentityProvider>();

/** The provider named in the path; an unknown one is not found. */
export function identityProviderFor(id: string): IdentityProvider {
  const settings = providerSettings(id);
  let client = clients.get(id);
  if (!client) clients.set(id, (client = identityProvider(settings)));
  return client;
}

/** What the web app's sign-in page offers. */
export const offeredProviders = () => providers.map((p) => ({ id: p.id, name: p.name, start: `/auth/oidc/${p.id}/start` }));
