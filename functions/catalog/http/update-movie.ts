import { z } from 'zod';
import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { updateMovie } from '../movies';
import { movieFields } from '../schemas';

const pool = getPool('catalog');

const body = z
  .strictObject({
    title: movieFields.title.optional(),
    description: movieFields.description.optional(),
    genres: movieFields.genres.optional(),
    durationMinutes: movieFields.durationMinutes.optional(),
    rating: movieFields.rating.optional(),
    releaseDate: movieFields.releaseDate.optional(),
    posterUrl: movieFields.posterUrl.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one field to change');

export const handler = route({ access: 'admin', params: uuidParam('id'), body, freeText: ['description'] }, async ({ params, body }) =>
  ok({ movie: await updateMovie(pool, params.id, body) }),
);
