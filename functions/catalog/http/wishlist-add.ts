import { z } from 'zod';
import { route, created, noContent } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { addToWishlist } from '../wishlist';

const pool = getPool('catalog');

export const handler = route({ access: 'signed-in', params: z.object({ movieId: z.uuid('movieId must be a UUID') }) }, async ({ caller, params }) =>
  (await addToWishlist(pool, caller.userId, params.movieId)) ? created({ movieId: params.movieId }) : noContent(),
);
