import { route, ok } from '../../../layers/core/http';
import { offeredProviders } from '../identity-providers';

export const handler = route({ access: 'public' }, async () => ok({ providers: offeredProviders() }));
