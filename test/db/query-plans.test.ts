// The main read queries use indexes: each runs (as the code sends it) against tables big
// enough, and analyzed, that without an index the planner would scan them whole; the test
// fails on a Seq Scan of any of those tables. The queries are the code's own: a Queryable
// that explains every statement before running it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createTestDatabases, type TestDatabases } from '../support/stack';
import { listMovies } from '../../functions/catalog/movies';
import { listShowtimes } from '../../functions/catalog/showtimes';
import { readAvailability } from '../../functions/booking/availability';
import { listBookings } from '../../functions/booking/bookings';
import { cartOf } from '../../functions/booking/holds';
import type { Queryable } from '../../layers/core/db';

const BIG_TABLES = ['movies', 'showtimes', 'seat_claims', 'bookings', 'showtime_seats', 'showtime_claim_versions'];
const TZ = 'Europe/Berlin';
// The programme's total: it counts every movie not archived, so it reads them all whichever
// way; the planner's choice of a seq scan there is not a missing index.
const WHOLE_COUNTS = ['SELECT count(*) AS n FROM movies WHERE archived_at IS NULL'];

interface PlanNode {
  'Index Name'?: string;
  'Index Cond'?: string;
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, nested ones included. */
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

const seqScans = (node: PlanNode): string[] =>
  nodes(node)
    .filter((n) => n['Node Type'] === 'Seq Scan' && BIG_TABLES.includes(n['Relation Name'] ?? ''))
    .map((n) => n['Relation Name']!);

/** Runs each statement after explaining it; `plans` holds every statement and its plan's seq scans. */
function explaining(pool: pg.Pool) {
  const plans: { sql: string; seqScans: string[] }[] = [];
  const db = {
    async query(q: string | { text: string; values?: unknown[] }, values?: unknown[]) {
      const text = typeof q === 'string' ? q : q.text;
      const args = typeof q === 'string' ? values : (q.values ?? values);
      const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${text}`, args);
      if (process.env.SHOW_PLANS) console.log(text.slice(0, 80), JSON.stringify(rows[0]['QUERY PLAN'][0].Plan).slice(0, 600));
      plans.push({ sql: text.replace(/\s+/g, ' ').slice(0, 160), seqScans: seqScans(rows[0]['QUERY PLAN'][0].Plan) });
      return pool.query(text, args);
    },
  } as unknown as Queryable;
  return { db, plans };
}

/** The plans of every statement `sql` runs, nested ones included (PL/pgSQL, triggers), as auto_explain logs them; rolled back. */
async function nestedPlans(pool: pg.Pool, sql: string, values: unknown[]): Promise<{ rows: any[]; plans: { text: string; plan: PlanNode }[] }> {
  const client = await pool.connect();
  const plans: { text: string; plan: PlanNode }[] = [];
  const onNotice = (n: { message?: string }) => {
    const at = n.message?.indexOf('plan:') ?? -1;
    if (at < 0) return;
    const explained = JSON.parse(n.message!.slice(at + 5));
    plans.push({ text: explained['Query Text'], plan: explained.Plan });
  };
  client.on('notice', onNotice);
  try {
    await client.query('BEGIN');
    await client.query(`LOAD 'auto_explain'`);
    await client.query(`SET LOCAL auto_explain.log_min_duration = 0; SET LOCAL auto_explain.log_nested_statements = on; SET LOCAL auto_explain.log_format = json; SET LOCAL auto_explain.log_level = notice`);
    const { rows } = await client.query(sql, values);
    return { rows, plans };
  } finally {
    await client.query('ROLLBACK');
    client.off('notice', onNotice);
    client.release();
  }
}

let dbs: TestDatabases;
let movieId: string;
let day: string;
let bookingShowtime: string;
let customer: string;

beforeAll(async () => {
  dbs = await createTestDatabases();
  const catalog = dbs.pool('catalog');
  // 100,000 movies, 200 halls, 60,000 future showtimes (each hall every 3 hours, 500 movies showing)
  await catalog.query(`INSERT INTO movies (id, title, description, genres, duration_minutes, release_date, archived_at)
    SELECT gen_random_uuid(), 'Movie ' || i, 'About ' || i, ARRAY['drama'], 100, date '2020-01-01' + (i % 2000), CASE WHEN i % 10 = 0 THEN now() END
      FROM generate_series(1, 100000) i`);
  await catalog.query(`INSERT INTO halls (id, name, categories) SELECT gen_random_uuid(), 'Hall ' || i, '{"standard":1200}' FROM generate_series(1, 200) i`);
  await catalog.query(`INSERT INTO showtimes (id, movie_id, hall_id, starts_at, ends_at, prices)
    SELECT gen_random_uuid(), m.id, h.id, t.starts_at, t.starts_at + interval '2 hours', '{"standard":1200}'
      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM halls) h
      CROSS JOIN LATERAL (SELECT date_trunc('hour', now()) + interval '1 day' + (k * interval '3 hours') AS starts_at, k FROM generate_series(0, 299) k) t
      JOIN LATERAL (SELECT id FROM movies WHERE title = 'Movie ' || (1 + (h.n * 300 + t.k) % 500)) m ON true`);
  movieId = (await catalog.query(`SELECT movie_id FROM showtimes LIMIT 1`)).rows[0].movie_id;
  day = (await catalog.query(`SELECT ((now() + interval '3 days') AT TIME ZONE $1)::date::text AS d`, [TZ])).rows[0].d;

  const booking = dbs.pool('booking');
  // 2,500 showtimes of 40 seats, each seat claimed (held, sold or blocked): 100,000 claims;
  // 50,000 bookings of 5,000 customers. Straight into the tables (foreign keys not checked).
  const client = await booking.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    await client.query(`INSERT INTO showtimes (id, movie_id, movie_title, hall_name, starts_at, currency, status)
      SELECT gen_random_uuid(), gen_random_uuid(), 'Movie ' || i, 'Hall ' || (i % 200), now() + (i * interval '1 hour'), 'EUR', 'scheduled' FROM generate_series(1, 2500) i`);
    await client.query(`INSERT INTO showtime_seats (showtime_id, seat_id, category, price, row_label, row_index, position)
      SELECT s.id, 'A' || k, 'standard', 1200, 'A', 0, k FROM showtimes s, generate_series(1, 40) k`);
    await client.query(`CREATE TEMP TABLE customers AS SELECT gen_random_uuid() AS id, i FROM generate_series(0, 4999) i`);
    await client.query(`INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at, booking_id)
      SELECT p.showtime_id, p.seat_id, c.id, st, 1200, CASE WHEN st = 'held' THEN now() + interval '10 minutes' END, CASE WHEN st = 'sold' THEN gen_random_uuid() END
        FROM (SELECT showtime_id, seat_id, row_number() OVER () AS n FROM showtime_seats) p
        JOIN customers c ON c.i = p.n % 5000
        CROSS JOIN LATERAL (SELECT (ARRAY['held', 'sold', 'sold', 'blocked'])[1 + p.n % 4] AS st) x`);
    await client.query(`INSERT INTO bookings (id, user_id, showtime_id, checkout_id, payment_id, seats, amount, currency, created_at)
      SELECT gen_random_uuid(), c.id, s.id, gen_random_uuid(), gen_random_uuid(), ARRAY['A1'], 1200, 'EUR', now() - (k * interval '1 minute')
        FROM generate_series(1, 50000) k JOIN customers c ON c.i = k % 5000
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM showtimes) s ON s.n = k % 2500`);
    // each showtime's availability version, as the claims' triggers (off above) leave it
    await client.query(`INSERT INTO showtime_claim_versions (showtime_id, counter, next_expiry) SELECT id, 1, now() + interval '10 minutes' FROM showtimes`);
    customer = (await client.query(`SELECT id FROM customers WHERE i = 7`)).rows[0].id;
  } finally {
    // the connection goes back to the pool: with the triggers on again for whoever gets it
    await client.query(`RESET session_replication_role`);
    client.release();
  }
  bookingShowtime = (await booking.query(`SELECT id FROM showtimes ORDER BY starts_at LIMIT 1 OFFSET 100`)).rows[0].id;
  await catalog.query('VACUUM ANALYZE');
  await booking.query('VACUUM ANALYZE');
}, 180_000);

afterAll(async () => {
  await dbs?.drop();
});

describe('the main queries use indexes on big tables', () => {
  const cases: [string, () => Promise<{ plans: { sql: string; seqScans: string[] }[]; result: unknown }>][] = [
    ['movie listing', async () => { const x = explaining(dbs.pool('catalog')); return { plans: x.plans, result: await listMovies(x.db, { page: 2, pageSize: 20 }, TZ) }; }],
    ['movie listing of a date', async () => { const x = explaining(dbs.pool('catalog')); return { plans: x.plans, result: await listMovies(x.db, { date: day, page: 1, pageSize: 20 }, TZ) }; }],
    ['showtime listing by movie', async () => { const x = explaining(dbs.pool('catalog')); return { plans: x.plans, result: await listShowtimes(x.db, { movieId, page: 1, pageSize: 20 }, { timeZone: TZ, currency: 'EUR' }) }; }],
    ['showtime listing by date', async () => { const x = explaining(dbs.pool('catalog')); return { plans: x.plans, result: await listShowtimes(x.db, { date: day, page: 1, pageSize: 20 }, { timeZone: TZ, currency: 'EUR' }) }; }],
    ["a showtime's seat availability and holds", async () => { const x = explaining(dbs.pool('booking')); return { plans: x.plans, result: await readAvailability(x.db, bookingShowtime, customer) }; }],
    ["a customer's bookings", async () => { const x = explaining(dbs.pool('booking')); return { plans: x.plans, result: await listBookings(x.db, customer, 1, 20) }; }],
    ["a customer's holds (the cart)", async () => { const x = explaining(dbs.pool('booking')); return { plans: x.plans, result: await cartOf(x.db, customer) }; }],
  ];
  for (const [name, run] of cases) {
    it(name, async () => {
      const { plans, result } = await run();
      expect(plans.length).toBeGreaterThan(0);
      expect(result).toBeTruthy();
      for (const p of plans) if (!WHOLE_COUNTS.includes(p.sql)) expect(p.seqScans, p.sql).toEqual([]);
    });
  }

  /** A generic plan names the statement's parameters ($1…), not this call's values. */
  const generic = (p: { plan: PlanNode } | undefined, value: string) => {
    const plan = JSON.stringify(p?.plan);
    return plan.includes('$1') && !plan.includes(value);
  };
  /** A live hold of the seeded claims: its showtime and seat. */
  const aLiveHold = async (): Promise<{ showtime: string; seat: string }> => {
    const { rows } = await dbs.pool('booking').query(`SELECT showtime_id, seat_id FROM seat_claims WHERE status = 'held' AND expires_at > now() LIMIT 1`);
    return { showtime: rows[0].showtime_id, seat: rows[0].seat_id };
  };

  it("a hold's claim: a generic plan, on indexes", async () => {
    // every seeded seat is claimed: the claim runs (its plan is logged) and takes nothing
    const { showtime, seat } = await aLiveHold();
    const { rows, plans } = await nestedPlans(dbs.pool('booking'), `SELECT * FROM hold_seats($1, $2, ARRAY[$3], 600, 10, false)`, [showtime, randomUUID(), seat]);
    expect(rows[0].known).toEqual([seat]);
    expect(rows[0].got).toEqual([]); // held by another customer
    const claim = plans.find((p) => p.text.includes('INSERT INTO seat_claims'));
    const version = plans.find((p) => p.text.includes('INSERT INTO showtime_claim_versions'));
    expect(claim, plans.map((p) => p.text.slice(0, 60)).join(' | ')).toBeDefined();
    expect(generic(claim, showtime)).toBe(true);
    expect(version).toBeUndefined(); // a refusal changes no claim: no version is bumped
    for (const p of plans) expect(seqScans(p.plan), p.text.slice(0, 120)).toEqual([]);
  });

  it('any change of a claim: the version bumped by generic plans, on indexes', async () => {
    const { showtime } = await aLiveHold();
    const { plans } = await nestedPlans(dbs.pool('booking'), `UPDATE seat_claims SET expires_at = now() + interval '1 hour' WHERE showtime_id = $1 AND status = 'held'`, [showtime]);
    const bump = plans.find((p) => /^\s*UPDATE showtime_claim_versions/.test(p.text));
    expect(bump, plans.map((p) => p.text.slice(0, 60)).join(' | ')).toBeDefined();
    expect(generic(bump, showtime)).toBe(true);
    for (const p of plans) if (!/^UPDATE seat_claims/.test(p.text.trim())) expect(seqScans(p.plan), p.text.slice(0, 120)).toEqual([]);
  });

  it('the listings answer what the rows hold', async () => {
    const movies = await listMovies(dbs.pool('catalog'), { page: 1, pageSize: 20 }, TZ);
    expect(Number(movies.total)).toBe(90000);
    const byDate = await listShowtimes(dbs.pool('catalog'), { date: day, page: 1, pageSize: 20 }, { timeZone: TZ, currency: 'EUR' });
    expect(Number(byDate.total)).toBe(200 * 8);
    expect(byDate.items.every((s: any) => new Date(s.startsAt).toLocaleDateString('sv-SE', { timeZone: TZ }) === day)).toBe(true);
    const bookings = await listBookings(dbs.pool('booking'), customer, 1, 20);
    expect(Number(bookings.total)).toBe(10);
  });
});

describe("a new cinema's first showtimes, analyzed: the hold still probes the seats it asks for", () => {
  let small: TestDatabases;
  let showtime: string;

  beforeAll(async () => {
    small = await createTestDatabases();
    const booking = small.pool('booking');
    // five showtimes of 200 seats, and ANALYZE: each showtime a fifth of showtime_seats, where
    // a disk's price of a page made reading the whole table the cheaper plan (migration 012)
    await booking.query(`INSERT INTO showtimes (id, movie_id, movie_title, hall_name, starts_at, currency, status)
      SELECT gen_random_uuid(), gen_random_uuid(), 'Movie ' || i, 'Hall 1', now() + (i * interval '1 day'), 'EUR', 'scheduled' FROM generate_series(1, 5) i`);
    await booking.query(`INSERT INTO showtime_seats (showtime_id, seat_id, category, price, row_label, row_index, position)
      SELECT s.id, chr(65 + k / 20) || (k % 20 + 1), 'standard', 1200, chr(65 + k / 20), k / 20, k % 20 FROM showtimes s, generate_series(0, 199) k`);
    await booking.query('ANALYZE');
    showtime = (await booking.query(`SELECT id FROM showtimes ORDER BY starts_at LIMIT 1`)).rows[0].id;
  }, 60_000);

  afterAll(async () => {
    await small?.drop();
  });

  it('the claim reads showtime_seats by showtime and seat, for the seat asked and for the cart', async () => {
    const { rows, plans } = await nestedPlans(small.pool('booking'), `SELECT * FROM hold_seats($1, $2, ARRAY[$3], 600, 10, false)`, [showtime, randomUUID(), 'C7']);
    expect(rows[0].got).toEqual(['C7']);
    expect(rows[0].cart).toMatchObject([{ showtime_id: showtime, seat_id: 'C7', category: 'standard', price: 1200 }]);
    const claim = plans.find((p) => p.text.includes('INSERT INTO seat_claims'));
    expect(claim, plans.map((p) => p.text.slice(0, 60)).join(' | ')).toBeDefined();
    const seatReads = nodes(claim!.plan).filter((n) => n['Relation Name'] === 'showtime_seats' || n['Index Name'] === 'showtime_seats_pkey');
    // the seat asked for, and the seat of the cart's one row
    expect(seatReads.length).toBeGreaterThanOrEqual(2);
    for (const n of seatReads) {
      expect(n['Node Type'], JSON.stringify(n).slice(0, 300)).not.toBe('Seq Scan');
      if (n['Node Type'] !== 'Bitmap Heap Scan') expect(n['Index Cond'], JSON.stringify(n).slice(0, 300)).toMatch(/showtime_id.*seat_id/);
    }
  });
});
