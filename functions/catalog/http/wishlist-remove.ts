import { z } from 'zod';
import { route, noContent } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { removeFromWishlist } from '../wishlist';

const pool = getPool('catalog');

export const handler = route({ access: 'signed-in', params: z.object({ movieId: z.uuid('movieId must be a UUID') }) }, async ({ caller, params }) => {
  await removeFromWishlist(pool, caller.userId, params.movieId);
  return noContent();
});
