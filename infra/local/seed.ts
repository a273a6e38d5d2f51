// Demo data for a new local platform: a few movies, two halls with different layouts, a
// week of showtimes, an admin and a customer. Uses the domains' own functions, so what is
// seeded passes the same rules (and publishes the same events) as what operators create.
import type pg from 'pg';
import { createMovie } from '../../functions/catalog/movies';
import { createHall } from '../../functions/catalog/halls';
import { scheduleShowtime } from '../../functions/catalog/showtimes';
import { layoutInput } from '../../functions/catalog/layout';
import { registerUser } from '../../functions/auth/users';
import { Conflict } from '../../layers/core/errors';

export const DEMO_ADMIN = { email: 'admin@cinema.test', password: 'admin-demo-password', name: 'Demo Operator' };
export const DEMO_CUSTOMER = { email: 'customer@cinema.test', password: 'customer-demo-password', name: 'Demo Customer' };

const MOVIES = [
  { title: 'The Last Projectionist', description: 'A night-shift projectionist finds a reel that should not exist.', genres: ['drama', 'mystery'], durationMinutes: 118, rating: 'PG-13', releaseDate: '2026-10-02', posterUrl: null },
  { title: 'Orbit of Small Things', description: 'Two engineers, one failing satellite, no second chance.', genres: ['sci-fi', 'thriller'], durationMinutes: 132, rating: 'PG-13', releaseDate: '2026-09-18', posterUrl: null },
  { title: 'Paper Lanterns', description: 'An animated journey through a city of festivals.', genres: ['animation', 'family'], durationMinutes: 94, rating: 'G', releaseDate: '2026-11-06', posterUrl: null },
  { title: 'Cold Open', description: 'A stand-up comic solves a murder between sets.', genres: ['comedy', 'crime'], durationMinutes: 101, rating: 'R', releaseDate: '2026-08-28', posterUrl: null },
  { title: 'Winter Harbour', description: 'A fishing town and the storm of the century.', genres: ['drama'], durationMinutes: 125, rating: 'PG', releaseDate: '2027-01-15', posterUrl: null },
];

const row = (n: number, category: string, aisleAfter: number[] = []) => {
  const seats: (string | null)[] = [];
  for (let i = 1; i <= n; i++) {
    seats.push(category);
    if (aisleAfter.includes(i)) seats.push(null);
  }
  return seats;
};

// A large hall with two aisles, premium rows at the back and accessible places in front.
const GRAND = layoutInput.parse({
  categories: { standard: 1200, premium: 1800 },
  rows: [
    { label: 'A', seats: [{ category: 'standard', accessible: true }, { category: 'standard', accessible: true }, null, ...row(10, 'standard'), null, { category: 'standard', accessible: true }, { category: 'standard', accessible: true }] },
    ...['B', 'C', 'D', 'E', 'F', 'G'].map((label) => ({ label, seats: row(16, 'standard', [2, 14]) })),
    ...['H', 'J'].map((label) => ({ label, seats: row(16, 'premium', [2, 14]) })),
  ],
});

// A small studio with a centre aisle and sofa seats.
const STUDIO = layoutInput.parse({
  categories: { standard: 1000, sofa: 2400 },
  rows: [
    ...['A', 'B', 'C', 'D'].map((label) => ({ label, seats: row(8, 'standard', [4]) })),
    { label: 'E', seats: [null, 'sofa', 'sofa', null, 'sofa', 'sofa', null] },
  ],
});

export async function catalogIsEmpty(catalog: pg.Pool): Promise<boolean> {
  return (await catalog.query('SELECT count(*) AS n FROM movies')).rows[0].n === 0;
}

export async function seedDemo(pools: { auth: pg.Pool; catalog: pg.Pool }, opts: { scryptCost: number; now?: Date; currency?: string }) {
  const now = opts.now ?? new Date();
  for (const account of [
    { ...DEMO_ADMIN, role: 'admin' as const },
    { ...DEMO_CUSTOMER, role: 'customer' as const },
  ]) {
    await registerUser(pools.auth, account, opts.scryptCost).catch((err) => {
      if (!(err instanceof Conflict)) throw err; // already there
    });
  }
  const movies = [];
  for (const m of MOVIES) movies.push(await createMovie(pools.catalog, m));
  const grand = await createHall(pools.catalog, 'Grand', GRAND);
  const studio = await createHall(pools.catalog, 'Studio', STUDIO);
  const showing = movies.filter((m) => m.releaseDate <= now.toISOString().slice(0, 10));
  let showtimes = 0;
  for (let day = 1; day <= 7; day++) {
    for (const [hall, slots] of [
      [grand, [14, 17, 20]],
      [studio, [15, 18, 21]],
    ] as const) {
      for (const [i, hour] of slots.entries()) {
        const startsAt = new Date(now);
        startsAt.setUTCDate(startsAt.getUTCDate() + day);
        startsAt.setUTCHours(hour, i * 5, 0, 0);
        const movie = showing[(day + i + (hall === studio ? 1 : 0)) % showing.length];
        await scheduleShowtime(pools.catalog, { movieId: movie.id, hallId: hall.id, startsAt: startsAt.toISOString() }, { turnaroundMinutes: 15, currency: opts.currency ?? 'EUR', now });
        showtimes++;
      }
    }
  }
  return { movies: movies.length, halls: 2, showtimes };
}
