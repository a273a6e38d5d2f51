import { z } from 'zod';

export const genre = z.string().trim().toLowerCase().pipe(z.string().min(1).max(40));
export const isoDate = z.iso.date('must be a date like 2026-12-01');

export const movieFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  genres: z.array(genre).max(10),
  durationMinutes: z.number().int().min(1).max(600),
  rating: z.string().trim().max(10).nullable(),
  releaseDate: isoDate,
  posterUrl: z.url().max(2000).nullable(),
};
