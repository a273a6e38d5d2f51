import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, signUpAdmin, type TestStack } from '../support/stack';

let stack: TestStack;
let admin: string;
let customer: string;
beforeAll(async () => {
  stack = await startTestStack();
  admin = (await signUpAdmin(stack)).token;
  customer = (await signUp(stack.api)).token;
});
afterAll(async () => {
  await stack?.stop();
});

const inDays = (d: number, hour = 18) => {
  const t = new Date();
  t.setUTCDate(t.getUTCDate() + d);
  t.setUTCHours(hour, 0, 0, 0);
  return t;
};

const movie = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  durationMinutes: 100,
  releaseDate: '2026-01-15',
  genres: ['drama'],
  ...extra,
});

const studioLayout = {
  categories: { standard: 1100, premium: 1600 },
  rows: [
    { label: 'A', seats: ['standard', 'standard', null, 'standard', 'standard'] },
    { label: 'B', seats: [null, { category: 'standard', accessible: true }, null, 'standard', null] },
    { label: 'C', seats: ['premium', 'premium', null, 'premium', 'premium'] },
  ],
};

describe('catalog over the gateway', () => {
  it('lets only admins write the catalog', async () => {
    const asCustomer = await stack.api('POST', '/movies', { token: customer, body: movie('Not Allowed') });
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body.error.code).toBe('forbidden');
    const anonymous = await stack.api('POST', '/halls', { body: { name: 'X', layout: studioLayout } });
    expect(anonymous.status).toBe(401);
    const asAdmin = await stack.api('POST', '/movies', { token: admin, body: movie('Allowed') });
    expect(asAdmin.status).toBe(201);
    expect(asAdmin.body.movie).toMatchObject({ title: 'Allowed', durationMinutes: 100, releaseDate: '2026-01-15', genres: ['drama'] });
  });

  it('builds the exact seat map of a layout with gaps and aisles', async () => {
    const hall = await stack.api('POST', '/halls', { token: admin, body: { name: 'Studio', layout: studioLayout } });
    expect(hall.status).toBe(201);
    expect(hall.body.hall.seatCount).toBe(10);
    const m = await stack.api('POST', '/movies', { token: admin, body: movie('Seat Map Movie') });
    const st = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: m.body.movie.id, hallId: hall.body.hall.id, startsAt: inDays(3).toISOString(), prices: { premium: 2000 } } });
    expect(st.status).toBe(201);
    const map = await stack.api('GET', `/showtimes/${st.body.showtime.id}/seats`);
    expect(map.status).toBe(200);
    const grid = map.body.seatMap.rows.map((r: any) => r.cells.map((c: any) => (c ? c.seatId : '.')).join(' '));
    expect(grid).toEqual(['A1 A2 . A3 A4', '. B1 . B2 .', 'C1 C2 . C3 C4']);
    expect(map.body.seatMap.rows[1].cells[1]).toEqual({ seatId: 'B1', number: 1, category: 'standard', accessible: true, price: 1100, status: 'available' });
    expect(map.body.seatMap.rows[2].cells[0].price).toBe(2000);
    expect(map.body.seatMap.counts).toEqual({ available: 10, held: 0, sold: 0 });
  });

  it('refuses a showtime that overlaps another in the same hall, in the database itself', async () => {
    const hall = (await stack.api('POST', '/halls', { token: admin, body: { name: 'Overlap Hall', layout: studioLayout } })).body.hall;
    const m = (await stack.api('POST', '/movies', { token: admin, body: movie('Long One', { durationMinutes: 150 }) })).body.movie;
    const first = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: m.id, hallId: hall.id, startsAt: inDays(4, 18).toISOString() } });
    expect(first.status).toBe(201);
    // 150 minutes + turnaround: 20:00 is still inside the first showtime
    const overlapping = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: m.id, hallId: hall.id, startsAt: inDays(4, 20).toISOString() } });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.message).toMatch(/Overlap Hall already has a showtime/);
    const later = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: m.id, hallId: hall.id, startsAt: inDays(4, 21).toISOString() } });
    expect(later.status).toBe(201);
    // the exclusion constraint holds under concurrency too: 8 racing requests for one slot, one wins
    const racing = await Promise.all(
      Array.from({ length: 8 }, () => stack.api('POST', '/showtimes', { token: admin, body: { movieId: m.id, hallId: hall.id, startsAt: inDays(5, 12).toISOString() } })),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    // a cancelled showtime frees its slot
    const cancelled = await stack.api('DELETE', `/showtimes/${first.body.showtime.id}`, { token: admin });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.showtime.status).toBe('cancelled');
    expect((await stack.api('POST', '/showtimes', { token: admin, body: { movieId: m.id, hallId: hall.id, startsAt: inDays(4, 18).toISOString() } })).status).toBe(201);
  });

  it('pages, searches and filters movies', async () => {
    const tag = `zz${Date.now()}`;
    const hall = (await stack.api('POST', '/halls', { token: admin, body: { name: `Filter Hall ${tag}`, layout: studioLayout } })).body.hall;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await stack.api('POST', '/movies', { token: admin, body: movie(`${tag} Film ${i}`, { genres: i % 2 ? ['comedy'] : ['horror'], releaseDate: `2026-0${i + 1}-01` }) });
      ids.push(res.body.movie.id);
    }
    const p1 = await stack.api('GET', `/movies?search=${tag}&pageSize=3&page=1`);
    const p3 = await stack.api('GET', `/movies?search=${tag}&pageSize=3&page=3`);
    expect(p1.body.total).toBe(7);
    expect(p1.body.items).toHaveLength(3);
    expect(p3.body.items).toHaveLength(1);
    const all = [...p1.body.items, ...(await stack.api('GET', `/movies?search=${tag}&pageSize=3&page=2`)).body.items, ...p3.body.items];
    expect(new Set(all.map((m: any) => m.id)).size).toBe(7);

    const comedies = await stack.api('GET', `/movies?search=${tag}&genre=Comedy`);
    expect(comedies.body.items.map((m: any) => m.title).sort()).toEqual([`${tag} Film 1`, `${tag} Film 3`, `${tag} Film 5`]);

    const day = inDays(6, 15);
    await stack.api('POST', '/showtimes', { token: admin, body: { movieId: ids[2], hallId: hall.id, startsAt: day.toISOString() } });
    const onDay = await stack.api('GET', `/movies?search=${tag}&date=${day.toISOString().slice(0, 10)}`);
    expect(onDay.body.items.map((m: any) => m.id)).toEqual([ids[2]]);

    const pct = await stack.api('GET', `/movies?search=${encodeURIComponent("%' OR 1=1 --")}`);
    expect(pct.status).toBe(200);
    expect(pct.body.total).toBe(0);

    expect((await stack.api('GET', '/movies?page=0')).status).toBe(400);
    expect((await stack.api('GET', '/movies?pageSize=1000')).status).toBe(400);
    expect((await stack.api('GET', '/movies?date=tomorrow')).status).toBe(400);
  });

  it('lists upcoming movies and a movie with its showtimes', async () => {
    const future = new Date(Date.now() + 40 * 86400_000).toISOString().slice(0, 10);
    const m = (await stack.api('POST', '/movies', { token: admin, body: movie('Coming Soon', { releaseDate: future }) })).body.movie;
    const upcoming = await stack.api('GET', '/movies/upcoming?pageSize=100');
    expect(upcoming.body.items.map((x: any) => x.id)).toContain(m.id);
    expect(upcoming.body.items.every((x: any) => x.releaseDate > new Date().toISOString().slice(0, 10))).toBe(true);
    // its scheduled showtimes, soonest first: not a cancelled one, not another movie's
    const hall = (await stack.api('POST', '/halls', { token: admin, body: { name: `Premiere Hall ${Date.now()}`, layout: studioLayout } })).body.hall;
    const other = (await stack.api('POST', '/movies', { token: admin, body: movie('Another Film') })).body.movie;
    const schedule = async (movieId: string, day: number) =>
      (await stack.api('POST', '/showtimes', { token: admin, body: { movieId, hallId: hall.id, startsAt: inDays(day, 20).toISOString() } })).body.showtime.id as string;
    const later = await schedule(m.id, 45);
    const sooner = await schedule(m.id, 42);
    const cancelled = await schedule(m.id, 48);
    await schedule(other.id, 43);
    expect((await stack.api('DELETE', `/showtimes/${cancelled}`, { token: admin })).status).toBe(200);
    const details = await stack.api('GET', `/movies/${m.id}`);
    expect(details.status).toBe(200);
    expect(details.body.movie.title).toBe('Coming Soon');
    expect(details.body.showtimes.map((s: any) => s.id)).toEqual([sooner, later]);
    expect(details.body.showtimes.every((s: any) => s.movieId === m.id && s.hallId === hall.id)).toBe(true);
    expect((await stack.api('GET', `/movies/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await stack.api('GET', `/movies/not-a-uuid`)).status).toBe(400);
  });

  it('keeps a wishlist per customer', async () => {
    const m = (await stack.api('POST', '/movies', { token: admin, body: movie('Wished For') })).body.movie;
    expect((await stack.api('PUT', `/me/wishlist/${m.id}`, { token: customer })).status).toBe(201);
    expect((await stack.api('PUT', `/me/wishlist/${m.id}`, { token: customer })).status).toBe(204);
    const other = (await signUp(stack.api)).token;
    expect((await stack.api('GET', '/me/wishlist', { token: other })).body.items).toEqual([]);
    const mine = await stack.api('GET', '/me/wishlist', { token: customer });
    expect(mine.body.items.map((x: any) => x.id)).toEqual([m.id]);
    expect((await stack.api('PUT', `/me/wishlist/00000000-0000-4000-8000-000000000000`, { token: customer })).status).toBe(404);
    expect((await stack.api('DELETE', `/me/wishlist/${m.id}`, { token: customer })).status).toBe(204);
    expect((await stack.api('DELETE', `/me/wishlist/${m.id}`, { token: customer })).status).toBe(404);
  });

  it('refuses to delete a movie or a hall that has showtimes', async () => {
    const hall = (await stack.api('POST', '/halls', { token: admin, body: { name: 'Busy Hall', layout: studioLayout } })).body.hall;
    const m = (await stack.api('POST', '/movies', { token: admin, body: movie('Busy Movie') })).body.movie;
    await stack.api('POST', '/showtimes', { token: admin, body: { movieId: m.id, hallId: hall.id, startsAt: inDays(8).toISOString() } });
    expect((await stack.api('DELETE', `/movies/${m.id}`, { token: admin })).status).toBe(409);
    expect((await stack.api('DELETE', `/halls/${hall.id}`, { token: admin })).status).toBe(409);
    const lonely = (await stack.api('POST', '/movies', { token: admin, body: movie('Lonely') })).body.movie;
    expect((await stack.api('DELETE', `/movies/${lonely.id}`, { token: admin })).status).toBe(204);
    expect((await stack.api('GET', `/movies/${lonely.id}`)).status).toBe(404);
  });
});
