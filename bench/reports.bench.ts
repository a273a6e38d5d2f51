// The operator's numbers at a busy day's size: 50 showtimes in 10 halls and 20,000 tickets
// (500 bookings of cancelled seats beside them, refunded). The day's dashboard report (booking's
// seats joined with payment's money, through the gateway and the Lambda call between them),
// the sales CSV and the reconciliation, against a plain count of the day's sold seats in the
// same run, interleaved round by round. Medians.
import { randomUUID } from 'node:crypto';
import { startTestStack, signUpAdmin, eventually } from '../test/support/stack';
import { runBench } from './lib/checks';
import { interleaved, median, printTable } from './lib/stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
const HALLS = 10;
const PER_HALL = 5;
const SOLD_PER_SHOWTIME = 400; // 50 × 400 = 20,000 tickets
const SEATS_PER_BOOKING = 4;
const CANCELLED_PER_SHOWTIME = 10;

const rowLabel = (i: number) => String.fromCharCode(65 + i);
const LAYOUT = {
  categories: { standard: 1100, premium: 1600 },
  rows: Array.from({ length: 20 }, (_, r) => ({ label: rowLabel(r), seats: Array.from({ length: 26 }, (_, i) => (i === 13 ? null : r >= 15 ? 'premium' : 'standard')) })),
};

await runBench(async (checks) => {
  const stack = await startTestStack({ LOG_LEVEL: 'error' }, { events: true });
  try {
    const admin = (await signUpAdmin(stack)).token;
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const showtimeIds: string[] = [];
    for (let h = 0; h < HALLS; h++) {
      const hall = (await stack.api('POST', '/halls', { token: admin, body: { name: `Hall ${h + 1}`, layout: LAYOUT } })).body.hall;
      const movie = (await stack.api('POST', '/movies', { token: admin, body: { title: `Movie ${h + 1}`, durationMinutes: 120, releaseDate: '2026-01-01' } })).body.movie;
      const startsAt = Array.from({ length: PER_HALL }, (_, i) => `${day}T${String(10 + i * 2 + (i > 0 ? 1 : 0) * i).padStart(2, '0')}:00:00Z`);
      const res = await stack.api('POST', '/showtimes/series', { token: admin, body: { movieId: movie.id, hallId: hall.id, startsAt } });
      if (res.status !== 201) throw new Error(`series: ${res.status} ${JSON.stringify(res.body)}`);
      showtimeIds.push(...res.body.showtimes.map((s: any) => s.id));
    }
    const booking = stack.db.pool('booking');
    const payment = stack.db.pool('payment');
    await eventually(async () => (Number((await booking.query('SELECT count(*) AS n FROM showtime_seats WHERE showtime_id = ANY($1)', [showtimeIds])).rows[0].n) === showtimeIds.length * 500 ? true : undefined), 60_000, 'booking to hear of 50 showtimes');

    // the day's sales, written as booking and payment would have: checkouts, bookings, sold claims; payments, refunds
    const customer = randomUUID();
    await booking.query(
      `CREATE TEMP TABLE bench_groups AS
       SELECT showtime_id, i / ${SEATS_PER_BOOKING} AS g, array_agg(seat_id ORDER BY seat_id) AS seats, sum(price)::int AS amount,
              (i >= ${SOLD_PER_SHOWTIME}) AS cancelled,
              md5(showtime_id::text || (i / ${SEATS_PER_BOOKING}) || 'b')::uuid AS booking_id,
              md5(showtime_id::text || (i / ${SEATS_PER_BOOKING}) || 'c')::uuid AS checkout_id,
              md5(showtime_id::text || (i / ${SEATS_PER_BOOKING}) || 'p')::uuid AS payment_id
         FROM (SELECT showtime_id, seat_id, price, row_number() OVER (PARTITION BY showtime_id ORDER BY row_index, position) - 1 AS i
                 FROM showtime_seats WHERE showtime_id = ANY($1)) s
        WHERE i < ${SOLD_PER_SHOWTIME + CANCELLED_PER_SHOWTIME * SEATS_PER_BOOKING}
        GROUP BY showtime_id, i / ${SEATS_PER_BOOKING}, (i >= ${SOLD_PER_SHOWTIME})`,
      [showtimeIds],
    );
    await booking.query(`INSERT INTO checkouts (id, user_id, showtime_id, seats, amount, currency, status) SELECT checkout_id, $1, showtime_id, seats, amount, 'EUR', 'booked' FROM bench_groups`, [customer]);
    await booking.query(
      `INSERT INTO bookings (id, user_id, showtime_id, checkout_id, payment_id, seats, amount, currency, status, cancelled_at, cancel_reason)
       SELECT booking_id, $1, showtime_id, checkout_id, payment_id, seats, amount, 'EUR', CASE WHEN cancelled THEN 'cancelled' ELSE 'confirmed' END,
              CASE WHEN cancelled THEN now() - interval '1 hour' END, CASE WHEN cancelled THEN 'cancelled by the customer' END FROM bench_groups`,
      [customer],
    );
    await booking.query(
      `INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, booking_id)
       SELECT g.showtime_id, s.seat_id, $1, 'sold', ss.price, g.booking_id FROM bench_groups g CROSS JOIN LATERAL unnest(g.seats) AS s(seat_id)
         JOIN showtime_seats ss ON ss.showtime_id = g.showtime_id AND ss.seat_id = s.seat_id WHERE NOT g.cancelled`,
      [customer],
    );
    const groups = (await booking.query('SELECT * FROM bench_groups')).rows;
    await payment.query(
      `INSERT INTO payments (id, user_id, checkout_id, showtime_id, seats, amount, currency, status, provider, provider_session_id, created_at, updated_at)
       SELECT p, $1, c, s, string_to_array(seats, ','), a, 'EUR', CASE WHEN x THEN 'refunded' ELSE 'succeeded' END, 'test', 'bench-' || p, now() - interval '2 hours', now() - interval '1 hour'
         FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::bool[]) AS t(p, c, s, seats, a, x)`,
      [customer, groups.map((g) => g.payment_id), groups.map((g) => g.checkout_id), groups.map((g) => g.showtime_id), groups.map((g) => g.seats.join(',')), groups.map((g) => g.amount), groups.map((g) => g.cancelled)],
    );
    await payment.query(`INSERT INTO refunds (id, payment_id, amount, reason) SELECT gen_random_uuid(), id, amount, 'cancelled by the customer' FROM payments WHERE status = 'refunded'`);
    await Promise.all([booking.query('ANALYZE'), payment.query('ANALYZE')]);

    const tickets = Number((await booking.query(`SELECT count(*) AS n FROM seat_claims WHERE showtime_id = ANY($1) AND status = 'sold'`, [showtimeIds])).rows[0].n);
    const gross = Number((await payment.query(`SELECT sum(amount) AS n FROM payments WHERE showtime_id = ANY($1)`, [showtimeIds])).rows[0].n);
    const refunds = Number((await payment.query(`SELECT sum(amount) AS n FROM refunds`)).rows[0].n);

    const get = async (path: string) => {
      const res = await fetch(stack.url + path, { headers: { authorization: `Bearer ${admin}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
      return text;
    };
    let report: any;
    let csv = '';
    let reconciliation: any;
    const timed = async (fn: () => Promise<void>) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    const runs = await interleaved(ROUNDS, {
      dashboard: () => timed(async () => void (report = JSON.parse(await get(`/admin/reports/showtimes?from=${day}`)))),
      csv: () => timed(async () => void (csv = await get(`/admin/reports/sales.csv?from=${day}`))),
      reconciliation: () => timed(async () => void (reconciliation = JSON.parse(await get('/admin/reports/reconciliation')))),
      plainCount: () => timed(async () => void (await booking.query(`SELECT showtime_id, count(*) FROM seat_claims WHERE showtime_id = ANY($1) AND status = 'sold' GROUP BY showtime_id`, [showtimeIds]))),
      plainGateway: () => timed(async () => void (await get(`/showtimes/${showtimeIds[0]}`))),
    });

    console.log(`\n${showtimeIds.length} showtimes, ${tickets} tickets sold, ${groups.filter((g) => g.cancelled).length} bookings cancelled and refunded; ${ROUNDS} interleaved rounds`);
    const plain = median(runs.plainCount);
    const gateway = median(runs.plainGateway);
    printTable("A day's reports at 50 showtimes and 20,000 tickets (bench/reports.bench.ts)", [
      { figure: "the day's dashboard report, through the gateway (booking + payment's figures): p50", value: median(runs.dashboard), unit: 'ms', baseline: { name: 'plain count of sold seats per showtime (database)', value: plain } },
      { figure: "the day's dashboard report, through the gateway: p50", value: median(runs.dashboard), unit: 'ms', baseline: { name: 'GET /showtimes/{id} through the gateway', value: gateway } },
      { figure: 'the sales CSV of the day (20,000 rows), through the gateway: p50', value: median(runs.csv), unit: 'ms', baseline: { name: 'plain count of sold seats per showtime (database)', value: plain } },
      { figure: 'reconciliation of every booking and payment, through the gateway: p50', value: median(runs.reconciliation), unit: 'ms', baseline: { name: 'plain count of sold seats per showtime (database)', value: plain } },
      { figure: 'the sales CSV: bytes', value: Buffer.byteLength(csv), unit: 'B' },
    ]);

    checks.expect(tickets === showtimeIds.length * SOLD_PER_SHOWTIME, `${tickets} tickets sold, as written`);
    checks.expect(report.totals.showtimes === 50 && report.totals.sold === tickets, `the report counts ${report.totals.showtimes} showtimes and ${report.totals.sold} sold`);
    checks.expect(report.totals.gross === gross && report.totals.refunds === refunds && report.totals.net === gross - refunds, `the report's money is payment's: gross ${report.totals.gross}, refunds ${report.totals.refunds}`);
    checks.expect(report.totals.net === report.totals.sales, "net equals booking's confirmed sales");
    const lines = csv.trimEnd().split('\r\n');
    checks.expect(lines.length - 1 === tickets + CANCELLED_PER_SHOWTIME * SEATS_PER_BOOKING * showtimeIds.length, `the CSV has ${lines.length - 1} ticket rows (sold and cancelled)`);
    checks.expect(reconciliation.agree === true && reconciliation.disagreements.length === 0 && reconciliation.bookings === groups.length, `reconciliation agrees over ${reconciliation.bookings} bookings and ${reconciliation.payments} payments`);
  } finally {
    await stack.stop();
  }
});
