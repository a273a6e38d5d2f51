import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { createMovie } from '../movies';
import { movieFields } from '../schemas';

const pool = getPool('catalog');

const body = z.strictObject({
  ...movieFields,
  description: movieFields.description.default(''),
  genres: movieFields.genres.default([]),
  rating: movieFields.rating.default(null),
  posterUrl: movieFields.posterUrl.default(null),
});

export const handler = route({ access: 'admin', body, freeText: ['description'] }, async ({ body }) => {
  const movie = await createMovie(pool, body);
  return created({ movie }, `/movies/${movie.id}`);
});
