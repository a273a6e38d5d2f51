// The operator's numbers over the real stack: after a seeded random run of purchases,
// declined cards, cancellations, blocked seats and a cancelled showtime, every figure of the
// reports equals a count taken straight from booking's and payment's own databases; the
// sales CSV parses as a table that adds up to the same; the reconciliation report agrees,
// and finds a disagreement planted in payment's database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { LAYOUT, buy, bookingFor } from '../support/flow';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({}, { events: true });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await stack?.stop();
});

// a seeded generator, so that a failing run can be replayed with its seed
const SEED = Number(process.env.REPORTS_SEED ?? Date.now() % 1_000_000);
function generator(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}
const random = generator(SEED);
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];

const DAY = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
const NEXT_DAY = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
// seats are numbered along the row, gaps not counted
const SEATS = LAYOUT.rows.flatMap((r) => r.seats.filter((c) => c !== null).map((_, i) => `${r.label}${i + 1}`));

const booking = async (sql: string, args: unknown[] = []) => (await stack.db.pool('booking').query(sql, args)).rows;
const payment = async (sql: string, args: unknown[] = []) => (await stack.db.pool('payment').query(sql, args)).rows;

interface Run {
  showtimeIds: string[];
  movieIds: string[];
  cancelledShowtime: string;
}
let run: Run;

async function scheduleDay(): Promise<Run> {
  const t = randomBytes(3).toString('hex');
  const hall = (await stack.api('POST', '/halls', { token: admin, body: { name: `Hall ${t}`, layout: LAYOUT } })).body.hall;
  const other = (await stack.api('POST', '/halls', { token: admin, body: { name: `Other hall ${t}`, layout: LAYOUT } })).body.hall;
  const movies = [];
  for (const title of [`Morning ${t}`, `Evening ${t}`]) movies.push((await stack.api('POST', '/movies', { token: admin, body: { title, durationMinutes: 100, releaseDate: '2026-01-01' } })).body.movie);
  const slots = [
    { movie: movies[0], hall, startsAt: `${DAY}T10:00:00Z` },
    { movie: movies[1], hall, startsAt: `${DAY}T14:00:00Z` },
    { movie: movies[1], hall, startsAt: `${DAY}T18:00:00Z` },
    { movie: movies[0], hall: other, startsAt: `${DAY}T18:00:00Z` },
    // another day: in the range's report, not in the one day's
    { movie: movies[1], hall: other, startsAt: `${NEXT_DAY}T18:00:00Z` },
  ];
  const showtimeIds: string[] = [];
  for (const s of slots) {
    const res = await stack.api('POST', '/showtimes', { token: admin, body: { movieId: s.movie.id, hallId: s.hall.id, startsAt: s.startsAt } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    showtimeIds.push(res.body.showtime.id);
  }
  await eventually(async () => (Number((await booking('SELECT count(*) AS n FROM showtimes WHERE id = ANY($1)', [showtimeIds]))[0].n) === showtimeIds.length ? true : undefined), 20_000, 'booking to hear of the showtimes');
  return { showtimeIds, movieIds: movies.map((m) => m.id), cancelledShowtime: showtimeIds[3] };
}

/** Purchases, declined cards, cancellations and blocked seats at random; then one showtime cancelled. */
async function randomRun(r: Run) {
  const customers = await Promise.all([0, 1, 2, 3].map(() => signUp(stack.api)));
  const taken = new Map<string, Set<string>>(r.showtimeIds.map((id) => [id, new Set()]));
  const confirmed: { id: string; token: string }[] = [];
  const freeSeats = (st: string, n: number) => {
    const free = SEATS.filter((s) => !taken.get(st)!.has(s));
    const start = Math.floor(random() * Math.max(1, free.length - n));
    return free.slice(start, start + n);
  };
  for (let i = 0; i < 22; i++) {
    const roll = random();
    const st = pick(r.showtimeIds);
    const who = pick(customers);
    if (roll < 0.6) {
      const seats = freeSeats(st, 1 + Math.floor(random() * 3));
      if (seats.length === 0) continue;
      const declined = random() < 0.15;
      const bought = await buy(stack.api, who.token, st, seats, declined ? '4000000000000002' : '4242424242424242');
      if (bought.hold.status !== 201) continue;
      seats.forEach((s) => taken.get(st)!.add(s));
      // a declined card leaves the seats held
      if (!declined) confirmed.push({ id: (await bookingFor(stack, bought.paymentId!)).id, token: who.token });
    } else if (roll < 0.8 && confirmed.length > 0) {
      const b = confirmed.splice(Math.floor(random() * confirmed.length), 1)[0];
      const res = await stack.api('POST', `/bookings/${b.id}/cancel`, { token: b.token });
      expect(res.status).toBe(200);
    } else {
      const seats = freeSeats(st, 2);
      const res = await stack.api('PUT', `/showtimes/${st}/blocked-seats`, { token: admin, body: { seats: [...(await booking(`SELECT seat_id FROM seat_claims WHERE showtime_id = $1 AND status = 'blocked'`, [st])).map((x) => x.seat_id), ...seats] } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seats.forEach((s) => taken.get(st)!.add(s));
    }
  }
  // at least one sale, one cancellation and one seat held, whatever the dice said
  const sure = await buy(stack.api, customers[0].token, r.showtimeIds[0], freeSeats(r.showtimeIds[0], 2));
  const sureBooking = await bookingFor(stack, sure.paymentId!);
  await buy(stack.api, customers[1].token, r.showtimeIds[1], freeSeats(r.showtimeIds[1], 1));
  expect((await stack.api('POST', `/bookings/${(await bookingFor(stack, (await buy(stack.api, customers[2].token, r.showtimeIds[2], freeSeats(r.showtimeIds[2], 2))).paymentId!)).id}/cancel`, { token: customers[2].token })).status).toBe(200);
  await buy(stack.api, customers[3].token, r.showtimeIds[2], freeSeats(r.showtimeIds[2], 1), '4000000000000002');
  // the last: a showtime with a sale, cancelled by the cinema (refunds every booking of it)
  await bookingFor(stack, (await buy(stack.api, customers[3].token, r.cancelledShowtime, freeSeats(r.cancelledShowtime, 3))).paymentId!);
  expect((await stack.api('DELETE', `/showtimes/${r.cancelledShowtime}`, { token: admin })).status).toBe(200);
  expect(sureBooking.status).toBe('confirmed');
  // one of its two tickets let in at the door (the showtime is days away, past the door's
  // opening hour: its admission is written as a device's would be, the scan itself is the
  // tickets suite's)
  const [ticket] = await booking(`SELECT id, showtime_id FROM tickets WHERE booking_id = $1 AND status = 'valid' ORDER BY seat_id LIMIT 1`, [sureBooking.id]);
  await booking(`INSERT INTO admissions (ticket_id, showtime_id, scan_id, device_id, admitted_at, offline) VALUES ($1, $2, 'reports-scan-1', 'door-1', now(), false)`, [ticket.id, ticket.showtime_id]);

  // settled: every cancelled booking refunded, every succeeded payment booked
  await eventually(
    async () => {
      const cancelled = Number((await booking(`SELECT count(*) AS n FROM bookings WHERE status = 'cancelled' AND showtime_id = ANY($1)`, [r.showtimeIds]))[0].n);
      const refunded = Number((await payment(`SELECT count(*) AS n FROM refunds f JOIN payments p ON p.id = f.payment_id WHERE p.showtime_id = ANY($1)`, [r.showtimeIds]))[0].n);
      const succeeded = Number((await payment(`SELECT count(*) AS n FROM payments WHERE status = 'succeeded' AND showtime_id = ANY($1)`, [r.showtimeIds]))[0].n);
      const booked = Number((await booking(`SELECT count(*) AS n FROM bookings WHERE status = 'confirmed' AND showtime_id = ANY($1)`, [r.showtimeIds]))[0].n);
      const [gone] = await booking(`SELECT status FROM showtimes WHERE id = $1`, [r.cancelledShowtime]);
      return gone.status === 'cancelled' && cancelled > 0 && cancelled === refunded && succeeded === booked ? true : undefined;
    },
    30_000,
    'refunds and bookings to settle',
  );
}

/** One showtime's figures counted straight from booking's and payment's tables. */
async function countedFigures(showtimeId: string) {
  const [s] = await booking(
    `SELECT s.status,
            (SELECT count(*) FROM showtime_seats WHERE showtime_id = s.id) AS seats,
            (SELECT count(*) FROM seat_claims WHERE showtime_id = s.id AND status = 'sold') AS sold,
            (SELECT count(*) FROM seat_claims WHERE showtime_id = s.id AND status = 'held' AND expires_at > now()) AS held,
            (SELECT count(*) FROM seat_claims WHERE showtime_id = s.id AND status = 'blocked') AS blocked,
            (SELECT count(*) FROM bookings WHERE showtime_id = s.id AND status = 'confirmed') AS bookings,
            (SELECT coalesce(sum(amount), 0) FROM bookings WHERE showtime_id = s.id AND status = 'confirmed') AS sales,
            (SELECT count(*) FROM admissions WHERE showtime_id = s.id) AS checked_in
       FROM showtimes s WHERE s.id = $1`,
    [showtimeId],
  );
  const [m] = await payment(`SELECT coalesce(sum(amount), 0) AS gross FROM payments WHERE showtime_id = $1 AND status IN ('succeeded', 'refunded')`, [showtimeId]);
  const [f] = await payment(`SELECT coalesce(sum(f.amount), 0) AS refunds FROM refunds f JOIN payments p ON p.id = f.payment_id WHERE p.showtime_id = $1`, [showtimeId]);
  const capacity = s.status === 'cancelled' ? 0 : Number(s.seats);
  const sold = Number(s.sold);
  const gross = Number(m.gross);
  const refunds = Number(f.refunds);
  return {
    capacity,
    sold,
    held: Number(s.held),
    blocked: Number(s.blocked),
    free: capacity === 0 ? 0 : capacity - sold - Number(s.held) - Number(s.blocked),
    occupancy: capacity === 0 ? 0 : Math.round((sold / capacity) * 1000) / 10,
    gross,
    refunds,
    net: gross - refunds,
    bookings: Number(s.bookings),
    sales: Number(s.sales),
    checkedIn: Number(s.checked_in),
  };
}

const FIGURES = ['capacity', 'sold', 'held', 'free', 'blocked', 'gross', 'refunds', 'net', 'bookings', 'sales', 'checkedIn'] as const;
const add = (items: Record<string, number>[]) => Object.fromEntries(FIGURES.map((k) => [k, items.reduce((n, f) => n + f[k], 0)]));

describe('the reports after a random run', () => {
  beforeAll(async () => {
    run = await scheduleDay();
    await randomRun(run);
  }, 240_000);

  it(`per showtime and per day, equal the counts taken from booking's and payment's databases (seed ${SEED})`, async () => {
    const res = await stack.api('GET', `/admin/reports/showtimes?from=${DAY}`, { token: admin });
    expect(res.status).toBe(200);
    const dayIds = run.showtimeIds.slice(0, 4);
    expect(res.body.showtimes.map((s: any) => s.showtimeId)).toEqual(expect.arrayContaining(dayIds));
    expect(res.body.showtimes.map((s: any) => s.showtimeId)).not.toContain(run.showtimeIds[4]);
    const counted: Record<string, Awaited<ReturnType<typeof countedFigures>>> = {};
    for (const id of dayIds) {
      counted[id] = await countedFigures(id);
      const reported = res.body.showtimes.find((s: any) => s.showtimeId === id);
      expect(reported, id).toMatchObject(counted[id]);
    }
    // the run did what it says: sold, refunded, held and blocked seats, and a cancelled showtime
    const all = add(Object.values(counted));
    expect(all.sold).toBeGreaterThan(0);
    expect(all.refunds).toBeGreaterThan(0);
    expect(all.held).toBeGreaterThan(0);
    expect(all.checkedIn).toBe(1);
    expect(res.body.showtimes.find((s: any) => s.showtimeId === run.cancelledShowtime)).toMatchObject({ status: 'cancelled', capacity: 0, sold: 0 });
    // net is what the confirmed bookings were sold for: booking and payment agree
    expect(all.net).toBe(all.sales);

    // this stack's showtimes only on that day: the day's totals are their sums
    const theDay = res.body.days.find((d: any) => d.day === DAY);
    expect(theDay).toMatchObject({ showtimes: 4, ...add(Object.values(counted)), occupancy: Math.round((all.sold / all.capacity) * 1000) / 10 });
    expect(res.body.totals).toMatchObject(add(Object.values(counted)));
  });

  it('per movie over a range of days, equal the same counts', async () => {
    const res = await stack.api('GET', `/admin/reports/movies?from=${DAY}&to=${NEXT_DAY}`, { token: admin });
    expect(res.status).toBe(200);
    const showtimesOf = [
      [run.showtimeIds[0], run.showtimeIds[3]],
      [run.showtimeIds[1], run.showtimeIds[2], run.showtimeIds[4]],
    ];
    for (const [i, movieId] of run.movieIds.entries()) {
      const counted = add(await Promise.all(showtimesOf[i].map(countedFigures)));
      expect(res.body.movies.find((m: any) => m.movieId === movieId)).toMatchObject({ showtimes: showtimesOf[i].length, ...counted });
    }
  });

  it('exports the sales as CSV: one row per ticket, adding up to the report', async () => {
    const res = await stack.api('GET', `/admin/reports/sales.csv?from=${DAY}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="sales-${DAY}.csv"`);
    const rows: Record<string, string>[] = parse(res.body, { columns: true, skip_empty_lines: true });
    expect(Object.keys(rows[0])).toEqual(['reference', 'booking_id', 'status', 'showtime_id', 'day', 'starts_at', 'movie', 'hall', 'seat', 'row', 'number', 'category', 'price', 'currency', 'booked_at', 'cancelled_at']);
    const report = (await stack.api('GET', `/admin/reports/showtimes?from=${DAY}`, { token: admin })).body;
    const sold = rows.filter((r) => r.status === 'confirmed');
    expect(sold.length).toBe(report.totals.sold);
    const cents = (items: Record<string, string>[]) => items.reduce((n, r) => n + Math.round(Number(r.price) * 100), 0);
    expect(cents(sold)).toBe(report.totals.net);
    // every ticket of every booking of the day, as booking has them
    const seats = await booking(`SELECT coalesce(sum(cardinality(seats)), 0) AS n FROM bookings WHERE showtime_id = ANY($1)`, [run.showtimeIds.slice(0, 4)]);
    expect(rows.length).toBe(Number(seats[0].n));
    // a cancelled booking's tickets are what was refunded for it
    const cancelledRefunds = await payment(`SELECT coalesce(sum(f.amount), 0) AS n FROM refunds f JOIN payments p ON p.id = f.payment_id WHERE p.showtime_id = ANY($1)`, [run.showtimeIds.slice(0, 4)]);
    expect(cents(rows.filter((r) => r.status === 'cancelled'))).toBe(Number(cancelledRefunds[0].n));
    expect(rows.every((r) => r.reference === r.booking_id.slice(0, 8).toUpperCase() && r.seat === `${r.row}${r.number}`)).toBe(true);
  });
});

describe('reconciliation', () => {
  it('finds no disagreement after the run, and finds the ones planted in payment', async () => {
    const clean = await stack.api('GET', '/admin/reports/reconciliation', { token: admin });
    expect(clean.status).toBe(200);
    expect(clean.body.disagreements).toEqual([]);
    expect(clean.body.agree).toBe(true);
    expect(clean.body.bookings).toBeGreaterThan(0);
    expect(clean.body.payments).toBeGreaterThanOrEqual(clean.body.bookings);

    const [b] = await booking(`SELECT id, payment_id, amount FROM bookings WHERE status = 'confirmed' ORDER BY created_at LIMIT 1`);
    await payment('UPDATE payments SET amount = amount + 100 WHERE id = $1', [b.payment_id]);
    // a payment that took money long ago for a checkout booking never heard of
    const [template] = await payment(`SELECT * FROM payments WHERE id = $1`, [b.payment_id]);
    const stray = crypto.randomUUID();
    await payment(
      `INSERT INTO payments (id, user_id, checkout_id, showtime_id, seats, amount, currency, status, provider, provider_session_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 700, $6, 'succeeded', 'test', $7, now() - interval '1 hour', now() - interval '1 hour')`,
      [stray, template.user_id, crypto.randomUUID(), template.showtime_id, ['Z9'], template.currency, `stray-${stray}`],
    );
    try {
      const planted = await stack.api('GET', '/admin/reports/reconciliation', { token: admin });
      expect(planted.body.agree).toBe(false);
      expect(planted.body.disagreements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'amount-differs', bookingId: b.id, paymentId: b.payment_id }),
          expect.objectContaining({ kind: 'payment-without-booking', bookingId: null, paymentId: stray }),
        ]),
      );
      expect(planted.body.disagreements).toHaveLength(2);
    } finally {
      await payment('UPDATE payments SET amount = amount - 100 WHERE id = $1', [b.payment_id]);
      await payment('DELETE FROM payments WHERE id = $1', [stray]);
    }
    expect((await stack.api('GET', '/admin/reports/reconciliation', { token: admin })).body.disagreements).toEqual([]);
  });
});

describe('who may read the reports', () => {
  const routes = ['/admin/reports/showtimes', '/admin/reports/movies', '/admin/reports/sales.csv', '/admin/reports/reconciliation'];
  it('a customer gets 403, a stranger 401', async () => {
    const customer = await signUp(stack.api);
    for (const path of routes) {
      expect((await stack.api('GET', path, { token: customer.token })).status, path).toBe(403);
      expect((await stack.api('GET', path)).status, path).toBe(401);
    }
  });
  it('an operator gives an account the admin role (GET /admin/users, PUT /admin/users/{id}/role), and then it may', async () => {
    const colleague = await signUp(stack.api);
    expect((await stack.api('GET', '/admin/users', { token: colleague.token })).status).toBe(403);
    expect((await stack.api('PUT', `/admin/users/${colleague.user.id}/role`, { token: colleague.token, body: { role: 'admin' } })).status).toBe(403);
    const found = await stack.api('GET', `/admin/users?email=${encodeURIComponent(colleague.email.toUpperCase())}`, { token: admin });
    expect(found.status).toBe(200);
    expect(found.body.roles).toEqual(['customer', 'admin', 'door']);
    expect(found.body.items).toEqual([expect.objectContaining({ id: colleague.user.id, email: colleague.email, role: 'customer' })]);
    const bad = await stack.api('PUT', `/admin/users/${colleague.user.id}/role`, { token: admin, body: { role: 'projectionist' } });
    expect(bad.status).toBe(400);
    const made = await stack.api('PUT', `/admin/users/${colleague.user.id}/role`, { token: admin, body: { role: 'admin' } });
    expect(made.status).toBe(200);
    expect(made.body.user.role).toBe('admin');
    // the same session, at once: the authorizer reads the role on every request
    expect((await stack.api('GET', '/admin/reports/reconciliation', { token: colleague.token })).status).toBe(200);
    // an operator cannot take away their own admin role
    const self = await stack.api('PUT', `/admin/users/${colleague.user.id}/role`, { token: colleague.token, body: { role: 'customer' } });
    expect(self.status).toBe(409);
    expect((await stack.api('PUT', `/admin/users/${crypto.randomUUID()}/role`, { token: admin, body: { role: 'admin' } })).status).toBe(404);
  });
  it('a range that is not one is a 400 that says why', async () => {
    const bad = await stack.api('GET', '/admin/reports/showtimes?from=2026-13-01', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'query.from' })]);
    const backwards = await stack.api('GET', `/admin/reports/movies?from=${NEXT_DAY}&to=${DAY}`, { token: admin });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe('to must not be before from');
  });
});
