// Best available against single-seat holds, in the same run: customers ask the hold handler
// (in-process) for "the best 4" until a 300-seat hall is full, against customers holding one
// random free seat at a time until it is full (the seats bench's contest). Reports holds/s
// (requests answered, won or refused), seats held/s and p50/p99 of a request, each way in
// turns after a warm-up round; every contest is checked: no seat twice, every "together"
// answer four adjacent seats, the hall full.
import { holdEvent, lambdaContext } from './lib/lambda-event';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_DATABASE_URL, databaseUrl } from '../layers/core/db';
import { dropDatabases, prepareDatabases } from '../infra/local/postgres';
import { forSeconds, interleaved, median, percentile, printTable, roundName } from './lib/stats';
import { runBench } from './lib/checks';
import { showtimeScheduled } from '../layers/contracts/events';
import { applyShowtimeEvent } from '../functions/booking/showtimes';

process.env.LOG_LEVEL = 'warn';
const SERVER = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const COUNT = 4;

// 15 rows of 20, an aisle after the tenth seat: 300 seats
const ROWS = Array.from({ length: 15 }, (_, i) => String.fromCharCode(65 + i));
const PLACES = ROWS.flatMap((row, rowIndex) => Array.from({ length: 20 }, (_, i) => ({ seatId: `${row}${i + 1}`, row, rowIndex, position: i < 10 ? i : i + 1 })));
const SEATS = PLACES.length;
const BEST_BUYERS = Math.ceil(SEATS / COUNT) + 5; // the last few are told the hall is full

const prefix = `b_${randomBytes(4).toString('hex')}`;
const env = { DATABASE_URL: SERVER, DATABASE_PREFIX: prefix };

async function newShowtime(booking: pg.Pool, noSingleSeats = false): Promise<string> {
  const id = randomUUID();
  const seats = Object.fromEntries(PLACES.map((p) => [p.seatId, { category: 'standard', price: 1000, row: p.row, rowIndex: p.rowIndex, position: p.position, accessible: false }]));
  const startsAt = new Date(Date.now() + 2 * 86400_000);
  const event = showtimeScheduled({ showtimeId: id, movieId: randomUUID(), movieTitle: 'Bench', hallId: randomUUID(), hallName: 'Bench Hall', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 7200_000).toISOString(), currency: 'EUR', seats });
  const client = await booking.connect();
  try {
    await applyShowtimeEvent(client, event);
  } finally {
    client.release();
  }
  if (noSingleSeats) await booking.query('UPDATE showtimes SET no_single_seats = true WHERE id = $1', [id]);
  return id;
}

interface Contest {
  requests: number;
  seats: number;
  seconds: number;
  latencies: number[];
  /** answers that said "together" but were not four adjacent seats, and seats given twice */
  wrong: string[];
}

const place = new Map(PLACES.map((p) => [p.seatId, p]));
const adjacent = (seats: string[]) => {
  const p = seats.map((s) => place.get(s)!).sort((a, b) => a.position - b.position);
  return p.every((x, i) => x.rowIndex === p[0].rowIndex && (i === 0 || x.position === p[i - 1].position + 1));
};


await runBench(async (checks) => {
  await prepareDatabases(SERVER, prefix);
  const booking = new pg.Pool({ connectionString: databaseUrl('booking', env), max: 4 });
  const tally: Record<string, { contests: number; wrong: number; first?: string; last?: string }> = {};
  let results: Record<'single' | 'best' | 'bestStrict', Contest[][]>;
  try {
    Object.assign(process.env, env, { JWT_SECRET: randomBytes(32).toString('hex'), DATABASE_POOL_MAX: String(CONCURRENCY) });
    const { handler } = await import('../functions/booking/http/hold-seats');
    const hold = async (body: unknown, userId: string) => {
      const r = (await handler(holdEvent(body, userId), lambdaContext())) as { statusCode: number; body: string };
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };

    /** Customers asking for the best COUNT seats, CONCURRENCY at a time, one request each. */
    const bestContest = async (showtimeId: string): Promise<Contest> => {
      const latencies: number[] = [];
      const wrong: string[] = [];
      const given = new Set<string>();
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < BEST_BUYERS) {
            next++;
            const a0 = performance.now();
            const r = await hold({ showtimeId, count: COUNT }, randomUUID());
            latencies.push(performance.now() - a0);
            if (r.status === 201) {
              for (const s of r.body.held.seats as string[]) (given.has(s) ? wrong.push(`${s} given twice`) : given.add(s));
              if (r.body.held.together && !adjacent(r.body.held.seats)) wrong.push(`"together" but ${r.body.held.seats.join(' ')}`);
            } else if (r.status !== 409) throw new Error(`unexpected status ${r.status}: ${JSON.stringify(r.body)}`);
          }
        }),
      );
      return { requests: latencies.length, seats: given.size, seconds: (performance.now() - t0) / 1000, latencies, wrong };
    };

    /** Customers holding one random free seat at a time until the hall is full (409: taken, try another). */
    const singleContest = async (showtimeId: string): Promise<Contest> => {
      const latencies: number[] = [];
      const gone = new Set<string>();
      const wrong: string[] = [];
      let won = 0;
      const t0 = performance.now();
      const ids = PLACES.map((p) => p.seatId);
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (gone.size < SEATS) {
            const free = ids.filter((s) => !gone.has(s));
            const seat = free[Math.floor(Math.random() * free.length)];
            const a0 = performance.now();
            const r = await hold({ showtimeId, seats: [seat] }, randomUUID());
            latencies.push(performance.now() - a0);
            gone.add(seat);
            if (r.status === 201) won++;
            else if (r.status !== 409) throw new Error(`unexpected status ${r.status}: ${JSON.stringify(r.body)}`);
          }
        }),
      );
      return { requests: latencies.length, seats: won, seconds: (performance.now() - t0) / 1000, latencies, wrong };
    };

    const rounds = (name: string, contest: (showtimeId: string) => Promise<Contest>, noSingleSeats = false) => async (r: number) => {
      const { steps } = await forSeconds(r < 0 ? 1 : SECONDS, async () => {
        const showtimeId = await newShowtime(booking, noSingleSeats);
        const c = await contest(showtimeId);
        const { rows } = await booking.query(`SELECT count(*)::int AS n, count(DISTINCT seat_id)::int AS seats FROM seat_claims WHERE showtime_id = $1`, [showtimeId]);
        const what = `${c.requests} requests, ${c.seats} seats held, ${rows[0].n} claim rows${c.wrong.length ? `; ${c.wrong.slice(0, 3).join('; ')}` : ''}`;
        const ok = !c.wrong.length && rows[0].n === c.seats && rows[0].seats === c.seats && c.seats === SEATS;
        const t = (tally[name] ??= { contests: 0, wrong: 0 });
        t.contests++;
        t.last = what;
        if (!ok) {
          t.wrong++;
          t.first ??= what;
        }
        await booking.query(`DELETE FROM seat_claims WHERE showtime_id = $1`, [showtimeId]);
        return c;
      });
      return steps;
    };

    results = await interleaved(
      ROUNDS,
      { single: rounds('single-seat holds', singleContest), best: rounds(`best ${COUNT}`, bestContest), bestStrict: rounds(`best ${COUNT}, single-seat rule on`, bestContest, true) },
      (name, r, cs) => console.error(`[best-available bench] ${name} ${roundName(r)}: ${cs.length} contests, ${rate(cs).toFixed(0)} holds/s`),
    );
  } finally {
    await booking.end();
    const { closePools } = await import('../layers/core/db');
    await closePools();
    await dropDatabases(SERVER, prefix);
  }

  const medianOf = (rs: Contest[][], f: (cs: Contest[]) => number) => median(rs.map(f));
  const lat = (rs: Contest[][], p: number) => median(rs.map((cs) => percentile(cs.flatMap((c) => c.latencies), p)));
  const holds = { name: 'single-seat holds/s', value: medianOf(results.single, rate) };
  const seats = { name: 'single-seat: seats held/s', value: medianOf(results.single, seatRate) };
  printTable(`Best available — a ${SEATS}-seat hall (15 rows of 20, an aisle) filled by "best ${COUNT}" requests (${BEST_BUYERS} customers) and by single-seat holds of random free seats; in-process hold handler, ${CONCURRENCY} at a time; ${ROUNDS} rounds of ${SECONDS} s each way, taking turns after a warm-up round; medians`, [
    { figure: 'single-seat holds/s (won + refused; baseline)', value: holds.value, unit: '/s' },
    { figure: `best ${COUNT}: holds/s (won + refused)`, value: medianOf(results.best, rate), unit: '/s', baseline: holds },
    { figure: `best ${COUNT}, single-seat rule on: holds/s`, value: medianOf(results.bestStrict, rate), unit: '/s', baseline: holds },
    { figure: 'single-seat: seats held/s', value: seats.value, unit: '/s' },
    { figure: `best ${COUNT}: seats held/s`, value: medianOf(results.best, seatRate), unit: '/s', baseline: seats },
    { figure: `best ${COUNT}, rule on: seats held/s`, value: medianOf(results.bestStrict, seatRate), unit: '/s', baseline: seats },
    { figure: 'single-seat hold p50', value: lat(results.single, 50), unit: 'ms' },
    { figure: 'single-seat hold p99', value: lat(results.single, 99), unit: 'ms' },
    { figure: `best ${COUNT} p50`, value: lat(results.best, 50), unit: 'ms', baseline: { name: 'single p50', value: lat(results.single, 50) } },
    { figure: `best ${COUNT} p99`, value: lat(results.best, 99), unit: 'ms', baseline: { name: 'single p99', value: lat(results.single, 99) } },
  ]);
  for (const [name, t] of Object.entries(tally)) {
    checks.expect(t.wrong === 0, `${name}: ${t.contests} contests (warm-up included), ${t.wrong} wrong${t.first ? ` — the first: ${t.first}` : ''}; the last: ${t.last}`);
  }
});

/** Requests per second of a round: its contests' requests over their time (setting up a showtime is not counted). */
function rate(contests: Contest[]) {
  return contests.reduce((k, c) => k + c.requests, 0) / contests.reduce((k, c) => k + c.seconds, 0);
}
function seatRate(contests: Contest[]) {
  return contests.reduce((k, c) => k + c.seats, 0) / contests.reduce((k, c) => k + c.seconds, 0);
}
