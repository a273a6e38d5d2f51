// The operator's API over the real stack: archiving movies and halls, the overlap refusal
// naming the showtime it clashes with, series scheduling all or nothing, and the admin's
// search of every customer's bookings (emails resolved by auth, bookings kept by booking).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { LAYOUT, buy, bookingFor, scheduleShowtime } from '../support/flow';

// a cinema whose day is not UTC's, so a series' "18:00" is read in its own time zone
const TIME_ZONE = 'Europe/Paris';

let stack: TestStack;
let admin: string;
let customer: Awaited<ReturnType<typeof signUp>>;
beforeAll(async () => {
  stack = await startTestStack({ CINEMA_TIME_ZONE: TIME_ZONE }, { events: true });
  admin = (await signUpAdmin(stack)).token;
  customer = await signUp(stack.api);
});
afterAll(async () => {
  await stack?.stop();
});

const tag = () => randomBytes(4).toString('hex');
const day = (inDays: number) => new Date(Date.now() + inDays * 86_400_000).toISOString().slice(0, 10);
const at = (inDays: number, hhmm: string) => new Date(`${day(inDays)}T${hhmm}:00Z`).toISOString();
const localTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

async function hallAndMovie(durationMinutes = 90) {
  const t = tag();
  const hall = await stack.api('POST', '/halls', { token: admin, body: { name: `Hall ${t}`, layout: LAYOUT } });
  const movie = await stack.api('POST', '/movies', { token: admin, body: { title: `Movie ${t}`, durationMinutes, releaseDate: '2026-01-01' } });
  return { hall: hall.body.hall, movie: movie.body.movie };
}

const catalogCount = async (sql: string, args: unknown[]) => Number((await stack.db.pool('catalog').query(sql, args)).rows[0].n);

describe('the overlap refusal', () => {
  it('names the showtime it clashes with, not the slot asked for', async () => {
    const { hall, movie } = await hallAndMovie();
    const first = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: movie.id, hallId: hall.id, startsAt: at(5, '18:00') } });
    expect(first.status).toBe(201);
    const clash = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: movie.id, hallId: hall.id, startsAt: at(5, '19:00') } });
    expect(clash.status).toBe(409);
    const { id, startsAt, endsAt } = first.body.showtime;
    // 90 minutes and the 15-minute turnaround: 18:00–19:45
    expect(endsAt).toBe(at(5, '19:45'));
    expect(clash.body.error.message).toBe(`Hall ${hall.name} already has a showtime then: "${movie.title}" (${id}) from ${startsAt} to ${endsAt}`);
    expect(clash.body.error.details.clashes).toEqual([{ slot: { startsAt: at(5, '19:00'), endsAt: at(5, '20:45') }, showtime: { id, movieTitle: movie.title, startsAt, endsAt } }]);
  });
});

describe('archiving a movie or a hall', () => {
  it('is refused while a showtime is to come, naming it; allowed once it is cancelled; the archived leave the listings and take no showtimes', async () => {
    const { hall, movie } = await hallAndMovie();
    const st = (await stack.api('POST', '/showtimes', { token: admin, body: { movieId: movie.id, hallId: hall.id, startsAt: at(6, '20:00') } })).body.showtime;

    expect((await stack.api('POST', `/movies/${movie.id}/archive`, { token: customer.token })).status).toBe(403);
    expect((await stack.api('POST', `/halls/${hall.id}/archive`)).status).toBe(401);
    for (const path of [`/movies/${movie.id}/archive`, `/halls/${hall.id}/archive`]) {
      const refused = await stack.api('POST', path, { token: admin });
      expect(refused.status, path).toBe(409);
      expect(refused.body.error.message).toContain(st.id);
      expect(refused.body.error.details.showtime).toMatchObject({ id: st.id, startsAt: st.startsAt, endsAt: st.endsAt, movieTitle: movie.title, hallName: hall.name });
    }

    expect((await stack.api('DELETE', `/showtimes/${st.id}`, { token: admin })).status).toBe(200);
    const archivedMovie = await stack.api('POST', `/movies/${movie.id}/archive`, { token: admin });
    expect(archivedMovie.status).toBe(200);
    expect(Date.parse(archivedMovie.body.movie.archivedAt)).toBeGreaterThan(Date.now() - 60_000);
    const archivedHall = await stack.api('POST', `/halls/${hall.id}/archive`, { token: admin });
    expect(archivedHall.status).toBe(200);
    expect(archivedHall.body.hall.archivedAt).toEqual(expect.any(String));
    // archiving again changes nothing
    const again = await stack.api('POST', `/movies/${movie.id}/archive`, { token: admin });
    expect(again.body.movie.archivedAt).toBe(archivedMovie.body.movie.archivedAt);

    // out of the public listings…
    const listed = await stack.api('GET', `/movies?search=${encodeURIComponent(movie.title)}`);
    expect(listed.body.total).toBe(0);
    expect((await stack.api('GET', '/halls')).body.items.map((h: any) => h.id)).not.toContain(hall.id);
    // …but kept, with the cancelled showtime's history
    expect((await stack.api('GET', `/movies/${movie.id}`)).body.movie.archivedAt).toBe(archivedMovie.body.movie.archivedAt);
    expect((await stack.api('GET', `/halls/${hall.id}`)).status).toBe(200);
    expect((await stack.api('GET', `/showtimes/${st.id}`)).body.showtime).toMatchObject({ movieTitle: movie.title, hallName: hall.name, status: 'cancelled' });

    // no new showtimes for either, single or series
    const other = await hallAndMovie();
    const forMovie = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: movie.id, hallId: other.hall.id, startsAt: at(7, '18:00') } });
    expect(forMovie.status).toBe(409);
    expect(forMovie.body.error.message).toBe(`The movie "${movie.title}" is archived and takes no new showtimes`);
    const inHall = await stack.api('POST', '/showtimes/series', { token: admin, body: { movieId: other.movie.id, hallId: hall.id, startsAt: [at(7, '18:00')] } });
    expect(inHall.status).toBe(409);
    expect(inHall.body.error.message).toBe(`Hall ${hall.name} is archived and takes no new showtimes`);
  });

  it('is allowed when the only showtimes are over', async () => {
    const { hall, movie } = await hallAndMovie();
    // a showtime that took place yesterday (nobody can schedule one in the past through the API)
    await stack.db.pool('catalog').query(
      `INSERT INTO showtimes (id, movie_id, hall_id, starts_at, ends_at, prices) VALUES (gen_random_uuid(), $1, $2, now() - interval '1 day', now() - interval '22 hours', '{}')`,
      [movie.id, hall.id],
    );
    expect((await stack.api('POST', `/movies/${movie.id}/archive`, { token: admin })).status).toBe(200);
    expect((await stack.api('POST', `/halls/${hall.id}/archive`, { token: admin })).status).toBe(200);
  });

  it('never leaves an archived movie or hall with a showtime to come, however archiving and scheduling race', async () => {
    for (let round = 0; round < 6; round++) {
      const { hall, movie } = await hallAndMovie();
      const target = round % 2 ? `/halls/${hall.id}/archive` : `/movies/${movie.id}/archive`;
      const [archived, scheduled] = await Promise.all([
        stack.api('POST', target, { token: admin }),
        stack.api('POST', '/showtimes', { token: admin, body: { movieId: movie.id, hallId: hall.id, startsAt: at(8, '18:00') } }),
      ]);
      // one of the two goes first (archived: 200, or scheduled: 201); the other sees it and is refused
      expect([[200, 409], [409, 201]], `round ${round}`).toContainEqual([archived.status, scheduled.status]);
      const live = await catalogCount(
        `SELECT count(*) AS n FROM showtimes s JOIN movies m ON m.id = s.movie_id JOIN halls h ON h.id = s.hall_id
          WHERE s.movie_id = $1 AND s.status = 'scheduled' AND (m.archived_at IS NOT NULL OR h.archived_at IS NOT NULL)`,
        [movie.id],
      );
      expect(live, `round ${round}`).toBe(0);
    }
  });

  it('answers an unknown movie or hall with 404', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await stack.api('POST', `/movies/${unknown}/archive`, { token: admin })).status).toBe(404);
    expect((await stack.api('POST', `/halls/${unknown}/archive`, { token: admin })).status).toBe(404);
  });
});

describe('a series of showtimes', () => {
  it('schedules every day at each time, in the cinema time zone, each one announced to booking', async () => {
    const { hall, movie } = await hallAndMovie();
    const res = await stack.api('POST', '/showtimes/series', { token: admin, body: { movieId: movie.id, hallId: hall.id, times: ['18:00', '21:00'], from: day(10), to: day(23) } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const showtimes: any[] = res.body.showtimes;
    expect(showtimes).toHaveLength(28);
    expect(showtimes.map((s) => localTime(s.startsAt))).toEqual(Array.from({ length: 14 }, () => ['18:00', '21:00']).flat());
    expect(new Set(showtimes.map((s) => s.startsAt.slice(0, 10))).size).toBe(14);
    expect(showtimes.every((s) => s.movieId === movie.id && s.hallId === hall.id && s.status === 'scheduled')).toBe(true);
    // booking heard of every one through showtime.scheduled, and can sell its seats
    const ids = showtimes.map((s) => s.id);
    await eventually(async () => (Number((await stack.db.pool('booking').query('SELECT count(*) AS n FROM showtimes WHERE id = ANY($1)', [ids])).rows[0].n) === 28 ? true : undefined), 20_000, 'booking to hear of 28 showtimes');
    const hold = await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId: ids[27], seats: ['A1'] } });
    expect(hold.status).toBe(201);
    await stack.api('DELETE', `/cart/holds/${ids[27]}/A1`, { token: customer.token });
  });

  it('schedules nothing, in either domain, when any slot clashes, naming each clashing slot and its showtime', async () => {
    const { hall, movie } = await hallAndMovie();
    const existing = await hallAndMovie(60);
    // two showtimes already in the hall; 18:00 and 21:00 with 90 + 15 minutes each
    const a = (await stack.api('POST', '/showtimes', { token: admin, body: { movieId: existing.movie.id, hallId: hall.id, startsAt: at(12, '17:30') } })).body.showtime;
    const b = (await stack.api('POST', '/showtimes', { token: admin, body: { movieId: existing.movie.id, hallId: hall.id, startsAt: at(14, '20:30') } })).body.showtime;
    const series = { movieId: movie.id, hallId: hall.id, times: ['18:00', '21:00'], from: day(10), to: day(16) };
    const refused = await stack.api('POST', '/showtimes/series', { token: admin, body: series });
    expect(refused.status).toBe(409);
    const clashes = refused.body.error.details.clashes;
    // day 12's 18:00 (17:00Z in winter, until 18:45Z) runs into a (17:30Z); day 14's 21:00 (20:00Z) into b (20:30Z)
    expect(clashes.map((c: any) => [localTime(c.slot.startsAt), c.slot.startsAt.slice(0, 10), c.showtime.id])).toEqual([
      ['18:00', day(12), a.id],
      ['21:00', day(14), b.id],
    ]);
    expect(clashes[0].showtime).toEqual({ id: a.id, movieTitle: existing.movie.title, startsAt: a.startsAt, endsAt: a.endsAt });
    expect(refused.body.error.message).toMatch(new RegExp(`^2 of the series' 14 showtimes clash with showtimes of Hall ${hall.name}, so none was scheduled: `));
    expect(refused.body.error.message).toContain(`"${existing.movie.title}" (${a.id})`);
    expect(refused.body.error.message).toContain(`(${b.id})`);

    // nothing in catalog: no showtime of the movie, no event in the outbox for it
    expect(await catalogCount('SELECT count(*) AS n FROM showtimes WHERE movie_id = $1', [movie.id])).toBe(0);
    expect(await catalogCount(`SELECT count(*) AS n FROM outbox WHERE event_type = 'showtime.scheduled' AND envelope->'data'->>'movieId' = $1`, [movie.id])).toBe(0);
    // and so nothing in booking, which learns of showtimes from those events only: the two
    // that were scheduled arrived, none of the series did
    await eventually(async () => (Number((await stack.db.pool('booking').query('SELECT count(*) AS n FROM showtimes WHERE id = ANY($1)', [[a.id, b.id]])).rows[0].n) === 2 ? true : undefined), 20_000, 'booking to hear of the two');
    expect(Number((await stack.db.pool('booking').query('SELECT count(*) AS n FROM showtimes WHERE movie_id = $1', [movie.id])).rows[0].n)).toBe(0);

    // with the clashing days left out, the same times go through
    const rest = await stack.api('POST', '/showtimes/series', { token: admin, body: { ...series, from: day(15), to: day(16) } });
    expect(rest.status).toBe(201);
    expect(rest.body.showtimes).toHaveLength(4);
  });

  it('takes an explicit list of starts, and refuses one that overlaps itself or is too long', async () => {
    const { hall, movie } = await hallAndMovie();
    const listed = await stack.api('POST', '/showtimes/series', { token: admin, body: { movieId: movie.id, hallId: hall.id, startsAt: [at(20, '21:00'), at(20, '12:00')] } });
    expect(listed.status).toBe(201);
    expect(listed.body.showtimes.map((s: any) => s.startsAt)).toEqual([at(20, '12:00'), at(20, '21:00')]);

    const selfOverlap = await stack.api('POST', '/showtimes/series', { token: admin, body: { movieId: movie.id, hallId: hall.id, startsAt: [at(21, '12:00'), at(21, '13:00')] } });
    expect(selfOverlap.status).toBe(422);
    expect(selfOverlap.body.error.message).toBe(`The series overlaps itself: the showtime at ${at(21, '12:00')} runs until ${at(21, '13:45')}, after ${at(21, '13:00')}`);
    const tooMany = await stack.api('POST', '/showtimes/series', { token: admin, body: { movieId: movie.id, hallId: hall.id, times: ['10:00', '14:00'], from: day(30), to: day(130) } });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.message).toBe('A series schedules at most 200 showtimes; this one would be 202');
    const backwards = await stack.api('POST', '/showtimes/series', { token: admin, body: { movieId: movie.id, hallId: hall.id, times: ['10:00'], from: day(31), to: day(30) } });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.message).toBe(`to (${day(30)}) is before from (${day(31)})`);
    const past = await stack.api('POST', '/showtimes/series', { token: admin, body: { movieId: movie.id, hallId: hall.id, startsAt: [at(22, '12:00'), at(-1, '12:00')] } });
    expect(past.status).toBe(422);
    expect(past.body.error.message).toMatch(/^Every showtime must start in the future; /);
    expect(await catalogCount('SELECT count(*) AS n FROM showtimes WHERE movie_id = $1', [movie.id])).toBe(2);
  });

  it('refuses bad input with a 400 naming the field, and a customer with 403', async () => {
    const { hall, movie } = await hallAndMovie();
    const base = { movieId: movie.id, hallId: hall.id };
    const cases: [unknown, string][] = [
      [{ ...base, times: ['25:00'], from: day(3), to: day(4) }, 'times.0'],
      [{ ...base, times: ['18:00'], from: day(3) }, 'to'],
      [{ ...base }, 'times'],
      [{ ...base, times: ['18:00'], from: day(3), to: day(4), startsAt: [at(3, '18:00')] }, 'startsAt'],
      [{ ...base, startsAt: [] }, 'startsAt'],
      [{ ...base, startsAt: ['tomorrow'] }, 'startsAt.0'],
      [{ ...base, times: ['18:00'], from: '2026-02-30', to: day(4) }, 'from'],
      [{ ...base, movieId: 'x', startsAt: [at(3, '18:00')] }, 'movieId'],
    ];
    for (const [body, field] of cases) {
      const res = await stack.api('POST', '/showtimes/series', { token: admin, body });
      expect({ body, status: res.status, paths: res.body.error.details?.map((d: any) => d.path.replace(/^body\./, '')) }).toEqual({ body, status: 400, paths: expect.arrayContaining([field]) });
    }
    expect((await stack.api('POST', '/showtimes/series', { token: customer.token, body: { ...base, startsAt: [at(3, '18:00')] } })).status).toBe(403);
  });
});

describe('the admin booking search', () => {
  let showtimeId: string;
  let other: Awaited<ReturnType<typeof signUp>>;
  let bought: { mine: string; theirs: string; cancelled: string };

  beforeAll(async () => {
    ({ showtimeId } = await scheduleShowtime(stack, admin));
    other = await signUp(stack.api);
    const ids: string[] = [];
    for (const [who, seats] of [
      [customer, ['A1', 'A2']],
      [other, ['B1']],
      [customer, ['C1']],
    ] as const) {
      const purchase = await buy(stack.api, who.token, showtimeId, [...seats]);
      ids.push((await bookingFor(stack, purchase.paymentId!)).id);
    }
    bought = { mine: ids[0], theirs: ids[1], cancelled: ids[2] };
    expect((await stack.api('POST', `/bookings/${bought.cancelled}/cancel`, { token: customer.token })).status).toBe(200);
  });

  const search = (qs: string, token = admin) => stack.api('GET', `/admin/bookings?${qs}`, { token });
  const idsOf = (res: { body: any }) => res.body.items.map((b: any) => b.id).sort();

  it('finds every customer’s bookings by showtime, email (any case), reference and status, each with its customer', async () => {
    const byShowtime = await search(`showtimeId=${showtimeId}`);
    expect(byShowtime.status).toBe(200);
    expect(byShowtime.body.total).toBe(3);
    expect(idsOf(byShowtime)).toEqual(Object.values(bought).sort());
    const theirs = byShowtime.body.items.find((b: any) => b.id === bought.theirs);
    expect(theirs).toMatchObject({ showtimeId, seats: ['B1'], status: 'confirmed', customer: { email: other.email, name: 'Test Customer' } });

    const byEmail = await search(`email=${encodeURIComponent(customer.email.toUpperCase())}`);
    expect(idsOf(byEmail)).toEqual([bought.mine, bought.cancelled].sort());
    expect(byEmail.body.items.every((b: any) => b.customer.email === customer.email)).toBe(true);
    expect((await search(`email=${encodeURIComponent(customer.email)}&status=confirmed`)).body.items.map((b: any) => b.id)).toEqual([bought.mine]);
    expect((await search(`showtimeId=${showtimeId}&status=cancelled`)).body.items.map((b: any) => b.id)).toEqual([bought.cancelled]);
    // the reference a customer reads out: the first eight characters of the id, in capitals
    expect((await search(`reference=${bought.theirs.slice(0, 8).toUpperCase()}`)).body.items.map((b: any) => b.id)).toEqual([bought.theirs]);
    expect((await search('email=nobody%40example.test')).body).toMatchObject({ items: [], total: 0 });

    const paged = await search(`showtimeId=${showtimeId}&pageSize=2&page=2`);
    expect(paged.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(paged.body.items).toHaveLength(1);
  });

  it('lists a showtime’s bookings', async () => {
    const res = await stack.api('GET', `/showtimes/${showtimeId}/bookings`, { token: admin });
    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual(Object.values(bought).sort());
    expect((await stack.api('GET', `/showtimes/${showtimeId}/bookings?status=confirmed`, { token: admin })).body.total).toBe(2);
    expect((await stack.api('GET', '/showtimes/00000000-0000-4000-8000-000000000000/bookings', { token: admin })).status).toBe(404);
  });

  it('is for admins: a customer gets 403, nobody signed in 401; a customer’s own list stays theirs', async () => {
    expect((await search(`showtimeId=${showtimeId}`, customer.token)).status).toBe(403);
    expect((await stack.api('GET', `/showtimes/${showtimeId}/bookings`, { token: other.token })).status).toBe(403);
    expect((await stack.api('GET', '/admin/bookings')).status).toBe(401);
    const own = await stack.api('GET', '/bookings', { token: other.token });
    expect(own.body.items.map((b: any) => b.id)).toEqual([bought.theirs]);
  });

  it('finds a customer by the email they have now, since booking keeps none of its own', async () => {
    const renamed = `renamed-${tag()}@example.test`;
    const changed = await stack.api('PATCH', '/auth/me', { token: other.token, body: { email: renamed, currentPassword: other.password } });
    expect(changed.status).toBe(200);
    expect((await search(`email=${encodeURIComponent(renamed)}`)).body.items.map((b: any) => [b.id, b.customer.email])).toEqual([[bought.theirs, renamed]]);
    expect((await search(`email=${encodeURIComponent(other.email)}`)).body.total).toBe(0);
  });

  it('refuses bad filters with a 400 naming them', async () => {
    for (const [qs, field] of [
      ['email=not-an-email', 'email'],
      ['status=refunded', 'status'],
      ['reference=zz', 'reference'],
      ['showtimeId=42', 'showtimeId'],
      ['customer=x', 'customer'],
    ]) {
      const res = await search(qs);
      expect({ qs, status: res.status }).toEqual({ qs, status: 400 });
      expect(res.body.error.message).toMatch(/^Invalid query: /);
      expect(res.body.error.message).toContain(field);
    }
  });
});
