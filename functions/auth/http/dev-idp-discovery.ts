// The development identity provider's discovery document (local stages only).
import { route, ok } from '../../../layers/core/http';
import { issuer } from '../dev-idp/config';
import { discoveryDocument } from '../dev-idp/provider';

export const handler = route({ access: 'public' }, async () => ok(discoveryDocument(issuer)));
