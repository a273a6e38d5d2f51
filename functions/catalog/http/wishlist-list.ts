import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { wishlist } from '../wishlist';

const pool = getPool('catalog');

export const handler = route({ access: 'signed-in' }, async ({ caller }) => ok({ items: await wishlist(pool, caller.userId) }));
