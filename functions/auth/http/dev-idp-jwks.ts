// The development identity provider's public signing keys (local stages only).
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { publicKeys } from '../dev-idp/provider';

// its own tables, on connections of its own, as an outside system's would be
const db = getPool('auth', 'dev_idp');

export const handler = route({ access: 'public' }, async () => ok(await publicKeys(db)));
