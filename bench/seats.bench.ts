// Seat contention: N buyers for M seats, each trying one random seat at a time until it
// holds one or every seat is gone; a round is as many such contests (each on a new
// showtime) as fit in BENCH_SECONDS. Reports holds/s (attempts, won or refused), p50/p99 of
// an attempt and the correctness counts of every contest. Baselines: (a) the same
// single-row upsert from Node, on the same table at the same concurrency; (b) pgbench
// running that upsert with as many clients (when pgbench is installed; skipped with the
// reason printed when not). The hold handler is invoked in-process (the goal: ≥ 0.8 of
// (a)), and through the gateway (serverless-offline, with the authorizer); booking's
// hold_seats function alone, called from Node, says how much of the gap is the hold's SQL and
// how much the handler around it. The five take turns round by round, after a warm-up round each.
import { holdEvent, lambdaContext } from './lib/lambda-event';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { DEFAULT_DATABASE_URL, databaseUrl } from '../layers/core/db';
import { dropDatabases, prepareDatabases } from '../infra/local/postgres';
import { ROOT, startGateway } from '../infra/local/gateway';
import { freePort } from '../test/support/ports';
import { forSeconds, interleaved, median, percentile, printTable } from './lib/stats';
import { runBench } from './lib/checks';
import { showtimeScheduled } from '../layers/contracts/events';
import { applyShowtimeEvent } from '../functions/booking/showtimes';

process.env.LOG_LEVEL = 'warn';
const SERVER = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const BUYERS = Number(process.env.BENCH_BUYERS ?? 400);
const SEATS = Number(process.env.BENCH_SEATS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

const prefix = `b_${randomBytes(4).toString('hex')}`;
const env = { DATABASE_URL: SERVER, DATABASE_PREFIX: prefix };
const seatIds = Array.from({ length: SEATS }, (_, i) => `${String.fromCharCode(65 + Math.floor(i / 20))}${(i % 20) + 1}`);

/** A showtime booking knows, put there the way production does: by its showtime.scheduled event. */
async function newShowtime(booking: pg.Pool): Promise<string> {
  const id = randomUUID();
  const seats = Object.fromEntries(seatIds.map((s) => [s, { category: 'standard', price: 1000 }]));
  const startsAt = new Date(Date.now() + 2 * 86400_000);
  const event = showtimeScheduled({ showtimeId: id, movieId: randomUUID(), movieTitle: 'Bench', hallId: randomUUID(), hallName: 'Bench Hall', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 7200_000).toISOString(), currency: 'EUR', seats });
  const client = await booking.connect();
  try {
    await applyShowtimeEvent(client, event);
  } finally {
    client.release();
  }
  return id;
}

interface Contest {
  attempts: number;
  seconds: number;
  latencies: number[];
  won: number;
}

/** N buyers, CONCURRENCY at a time; each tries random seats until it holds one or all are gone. */
async function contend(attempt: (buyer: number, seat: string) => Promise<number>): Promise<Contest> {
  const gone = new Set<string>();
  const latencies: number[] = [];
  let won = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < BUYERS) {
        const buyer = next++;
        while (gone.size < SEATS) {
          const free = seatIds.filter((s) => !gone.has(s));
          const seat = free[Math.floor(Math.random() * free.length)];
          const a0 = performance.now();
          const status = await attempt(buyer, seat);
          latencies.push(performance.now() - a0);
          gone.add(seat);
          if (status === 201) {
            won++;
            break;
          }
          if (status !== 409) throw new Error(`unexpected status ${status}`);
        }
      }
    }),
  );
  return { attempts: latencies.length, seconds: (performance.now() - t0) / 1000, latencies, won };
}

/** Attempts per second of a round: its contests' attempts over their time (setting up a showtime is not counted). */
const rate = (contests: Contest[]) => contests.reduce((k, c) => k + c.attempts, 0) / contests.reduce((k, c) => k + c.seconds, 0);

/** Every contest must end with every seat held, each once and by a different buyer. */
async function verify(booking: pg.Pool, showtimeId: string, contest: Contest): Promise<{ ok: boolean; what: string }> {
  const { rows } = await booking.query(`SELECT count(*)::int AS n, count(DISTINCT user_id)::int AS holders FROM seat_claims WHERE showtime_id = $1`, [showtimeId]);
  const ok = rows[0].n === contest.won && rows[0].holders === contest.won && contest.won === Math.min(SEATS, BUYERS);
  return { ok, what: `${contest.won} holds won for ${SEATS} seats, ${rows[0].n} claim rows, ${rows[0].holders} distinct holders` };
}

/**
 * Baseline (b): pgbench running the Node baseline's upsert on one showtime for `seconds`,
 * CONCURRENCY clients and as many threads, random seats of the same ids, prepared
 * statements; its tps (without connection time) as a contest of tps × seconds attempts.
 */
async function pgbenchRound(url: string, showtimeId: string, seconds: number, folder: string): Promise<{ contest: Contest; failed: number }> {
  const script = join(folder, 'upsert.sql');
  writeFileSync(
    script,
    `\\set seat random(0, ${SEATS - 1})
INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at) VALUES (:showtime, chr(65 + :seat / 20) || (:seat % 20 + 1), gen_random_uuid(), 'held', 1000, now() + interval '10 minutes')
 ON CONFLICT (showtime_id, seat_id) DO UPDATE SET expires_at = EXCLUDED.expires_at;
`,
  );
  const args = ['-n', '-M', 'prepared', '-f', script, '-c', String(CONCURRENCY), '-j', String(CONCURRENCY), '-T', String(seconds), '-D', `showtime=${showtimeId}`, url];
  const { stdout } = await promisify(execFile)(PGBENCH, args, { timeout: (seconds + 60) * 1000 });
  const tps = Number(/tps = ([0-9.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
  const failed = Number(/number of failed transactions: ([0-9]+)/.exec(stdout)?.[1] ?? 0);
  if (!Number.isFinite(tps) || tps <= 0) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return { contest: { attempts: tps * seconds, seconds, latencies: [], won: 0 }, failed };
}

/** Why the pgbench row is left out, or null when pgbench can run. */
const pgbenchMissing = () => (existsSync(PGBENCH) ? null : `${PGBENCH} is not installed (PGBENCH= names another)`);



await runBench(async (checks) => {
  await prepareDatabases(SERVER, prefix);
  const booking = new pg.Pool({ connectionString: databaseUrl('booking', env), max: CONCURRENCY + 2 });
  const users = Array.from({ length: BUYERS }, () => randomUUID());
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  const tally: Record<string, { contests: number; wrong: number; first?: string; last?: string }> = {};
  let results: Partial<Record<'raw' | 'pgbench' | 'sql' | 'inProcess' | 'gateway', Contest[][]>>;
  const missing = pgbenchMissing();
  const pgbenchFolder = mkdtempSync(join(tmpdir(), 'seats-pgbench-'));
  let pgbenchFailed = 0;
  try {
    Object.assign(process.env, env, { JWT_SECRET: randomBytes(32).toString('hex'), DATABASE_POOL_MAX: String(CONCURRENCY) });
    const { handler } = await import('../functions/booking/http/hold-seats');
    const { holdPolicy } = await import('../functions/booking/config');
    const { HOLD_AT_ONCE } = await import('../functions/booking/holds');

    // Through the gateway: real sign-ins, the authorizer on every request.
    const jwtSecret = randomBytes(32).toString('hex');
    gateway = await startGateway({ httpPort: await freePort(), lambdaPort: await freePort(), env: { ...env, JWT_SECRET: jwtSecret, SCRYPT_COST: '1024', LOG_LEVEL: 'warn', ESBUILD_WORK_FOLDER: `.esbuild/${prefix}` } });
    const tokens: string[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const email = `bench${i}@example.test`;
      const json = { 'content-type': 'application/json' };
      const registered = await fetch(`${gateway.url}/auth/register`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'bench-password', name: 'Bench' }) });
      if (registered.status !== 201) throw new Error(`registering buyer ${i} answered ${registered.status}`);
      const login = await fetch(`${gateway.url}/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'bench-password' }) });
      if (login.status !== 200) throw new Error(`signing in buyer ${i} answered ${login.status}`);
      tokens.push(((await login.json()) as { token: string }).token);
    }

    /** A round of one way to hold: contests on new showtimes for BENCH_SECONDS (BENCH_WARMUP_SECONDS for the warm-up), each checked unless it is a baseline. */
    const rounds = (name: string, attemptOn: (showtimeId: string) => (buyer: number, seat: string) => Promise<number>, checked: boolean) => async (r: number) => {
      const { steps } = await forSeconds(r < 0 ? WARMUP_SECONDS : SECONDS, async () => {
        const showtimeId = await newShowtime(booking);
        const contest = await contend(attemptOn(showtimeId));
        if (checked) {
          const v = await verify(booking, showtimeId, contest);
          const t = (tally[name] ??= { contests: 0, wrong: 0 });
          t.contests++;
          t.last = v.what;
          if (!v.ok) {
            t.wrong++;
            t.first ??= v.what;
          }
        }
        // the buyers' carts empty again: no contest pays for the holds of the one before
        await booking.query(`DELETE FROM seat_claims WHERE showtime_id = $1`, [showtimeId]);
        return contest;
      });
      return steps;
    };

    // Baseline (b): pgbench, the same upsert, on a showtime of its own per round (emptied after).
    const pgbench = async (r: number) => {
      const showtimeId = await newShowtime(booking);
      const { contest, failed } = await pgbenchRound(databaseUrl('booking', env), showtimeId, r < 0 ? WARMUP_SECONDS : SECONDS, pgbenchFolder);
      pgbenchFailed += failed;
      await booking.query(`DELETE FROM seat_claims WHERE showtime_id = $1`, [showtimeId]);
      return [contest];
    };
    if (missing) console.error(`[seats bench] no pgbench row: ${missing}`);

    type Way = 'raw' | 'pgbench' | 'sql' | 'inProcess' | 'gateway';
    results = await interleaved<Way, Contest[]>(
      ROUNDS,
      {
        ...((missing ? {} : { pgbench }) as Record<'pgbench', typeof pgbench>),
        // Baseline (a): a plain single-row upsert per attempt from Node, same table, same concurrency.
        raw: rounds(
          'raw',
          (showtimeId) => async (buyer, seat) => {
            await booking.query(
              `INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at) VALUES ($1, $2, $3, 'held', 1000, now() + interval '10 minutes')
               ON CONFLICT (showtime_id, seat_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
              [showtimeId, seat, users[buyer]],
            );
            return 409; // the baseline has no rule: every attempt writes, and the buyer moves on
          },
          false,
        ),
        // Where the handler's cost goes: the hold's one statement (booking's hold_seats) called from Node, no handler around it.
        sql: rounds(
          'hold_seats alone',
          (showtimeId) => async (buyer, seat) => {
            const { rows } = await booking.query({
              name: 'bench-hold-seats',
              text: HOLD_AT_ONCE,
              values: [showtimeId, users[buyer], [seat], holdPolicy.holdSeconds, holdPolicy.maxHeldPerShowtime, holdPolicy.noSingleSeats],
            });
            return rows[0].hold.got.length === 1 ? 201 : 409;
          },
          true,
        ),
        inProcess: rounds('in-process', (showtimeId) => async (buyer, seat) => ((await handler(holdEvent({ showtimeId, seats: [seat] }, users[buyer]), lambdaContext())) as { statusCode: number }).statusCode, true),
        gateway: rounds(
          'gateway',
          (showtimeId) => async (buyer, seat) => {
            const res = await fetch(`${gateway!.url}/cart/holds`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[buyer]}` },
              body: JSON.stringify({ showtimeId, seats: [seat] }),
            });
            await res.arrayBuffer();
            return res.status;
          },
          true,
        ),
      },
      (name, r, contests) => console.error(`[seats bench] ${name} round ${r + 1}: ${contests.length} contests, ${rate(contests).toFixed(0)} attempts/s`),
    );
  } finally {
    await gateway?.stop();
    await booking.end();
    const { closePools } = await import('../layers/core/db');
    await closePools();
    await dropDatabases(SERVER, prefix);
    rmSync(join(ROOT, '.esbuild', prefix), { recursive: true, force: true });
    rmSync(pgbenchFolder, { recursive: true, force: true });
  }

  const medianRate = (rs: Contest[][]) => median(rs.map(rate));
  const lat = (rs: Contest[][], p: number) => median(rs.map((contests) => percentile(contests.flatMap((c) => c.latencies), p)));
  const raw = results.raw!;
  const inProcess = results.inProcess!;
  const viaGateway = results.gateway!;
  const baseline = { name: 'Node upserts/s', value: medianRate(raw) };
  const pgbenchBaseline = results.pgbench && { name: 'pgbench upserts/s', value: medianRate(results.pgbench) };
  const title = `Seat contention — ${BUYERS} buyers for ${SEATS} seats, ${CONCURRENCY} at a time; ${ROUNDS} rounds of ${SECONDS} s each way, taking turns after a ${WARMUP_SECONDS} s warm-up round each; medians`;
  printTable(title, [
    { figure: '(a) single-row upserts from Node (baseline)', value: medianRate(raw), unit: '/s' },
    ...(pgbenchBaseline ? [{ figure: `(b) pgbench, the same upsert, ${CONCURRENCY} clients (baseline)`, value: pgbenchBaseline.value, unit: '/s' }] : []),
    ...(pgbenchBaseline ? [{ figure: '(a) against (b): what Node costs a plain upsert', value: medianRate(raw), unit: '/s', baseline: pgbenchBaseline }] : []),
    { figure: 'booking\'s hold_seats alone from Node: holds/s', value: medianRate(results.sql!), unit: '/s', baseline },
    { figure: 'hold handler in-process: holds/s (won + refused)', value: medianRate(inProcess), unit: '/s', baseline },
    { figure: 'hold handler in-process, against hold_seats alone', value: medianRate(inProcess), unit: '/s', baseline: { name: 'hold_seats alone/s', value: medianRate(results.sql!) } },
    ...(pgbenchBaseline ? [{ figure: 'hold handler in-process, against pgbench', value: medianRate(inProcess), unit: '/s', baseline: pgbenchBaseline }] : []),
    { figure: 'through the gateway: holds/s', value: medianRate(viaGateway), unit: '/s', baseline },
    { figure: 'Node upsert p50', value: lat(raw, 50), unit: 'ms' },
    { figure: 'Node upsert p99', value: lat(raw, 99), unit: 'ms' },
    { figure: 'hold_seats alone p50', value: lat(results.sql!, 50), unit: 'ms', baseline: { name: 'Node upsert p50', value: lat(raw, 50) } },
    { figure: 'in-process hold p50', value: lat(inProcess, 50), unit: 'ms', baseline: { name: 'Node upsert p50', value: lat(raw, 50) } },
    { figure: 'in-process hold p99', value: lat(inProcess, 99), unit: 'ms', baseline: { name: 'Node upsert p99', value: lat(raw, 99) } },
    { figure: 'gateway hold p50', value: lat(viaGateway, 50), unit: 'ms', baseline: { name: 'Node upsert p50', value: lat(raw, 50) } },
    { figure: 'gateway hold p99', value: lat(viaGateway, 99), unit: 'ms', baseline: { name: 'Node upsert p99', value: lat(raw, 99) } },
  ]);
  if (missing) console.log(`\n(no pgbench row: ${missing})`);
  else checks.expect(pgbenchFailed === 0, `pgbench: ${ROUNDS + 1} runs (warm-up included), ${pgbenchFailed} failed transactions`);
  for (const [name, t] of Object.entries(tally)) {
    checks.expect(t.wrong === 0, `${name}: ${t.contests} contests (warm-up included), ${t.wrong} wrong${t.first ? ` — the first: ${t.first}` : ''}; the last: ${t.last}`);
  }
});
