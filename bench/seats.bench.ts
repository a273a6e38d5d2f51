// Seat contention: N buyers for M seats, each trying one random seat at a time until it
// holds one or every seat is gone. Reports holds/s (attempts, won or refused), p50/p99 of
// an attempt and the correctness counts. Baseline, same run, same table: raw PostgreSQL
// single-row upserts. The hold handler is invoked in-process (the goal: ≥ 50% of the
// baseline), and through the gateway (serverless-offline, with the authorizer) beside it.
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import pg from 'pg';
import { DEFAULT_DATABASE_URL, databaseUrl } from '../layers/core/db';
import { dropDatabases, prepareDatabases } from '../infra/local/postgres';
import { ROOT, startGateway } from '../infra/local/gateway';
import { freePort } from '../test/support/ports';
import { median, percentile, printTable } from './lib/stats';
import { showtimeScheduled } from '../layers/contracts/events';
import { applyShowtimeEvent } from '../functions/booking/showtimes';

process.env.LOG_LEVEL = 'warn';
const SERVER = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const BUYERS = Number(process.env.BENCH_BUYERS ?? 400);
const SEATS = Number(process.env.BENCH_SEATS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

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

interface Round {
  attempts: number;
  seconds: number;
  latencies: number[];
  won: number;
}

/** N buyers, CONCURRENCY at a time; each tries random seats until it holds one or all are gone. */
async function contend(attempt: (buyer: number, seat: string) => Promise<number>): Promise<Round> {
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

async function verify(booking: pg.Pool, showtimeId: string, round: Round): Promise<string> {
  const { rows } = await booking.query(`SELECT count(*) AS n, count(DISTINCT user_id) AS holders FROM seat_claims WHERE showtime_id = $1`, [showtimeId]);
  const ok = rows[0].n === round.won && rows[0].holders === round.won && round.won === Math.min(SEATS, BUYERS);
  return `${round.won} holds won for ${SEATS} seats, ${rows[0].n} claim rows, ${rows[0].holders} distinct holders: ${ok ? 'correct' : 'WRONG'}`;
}

function v2Event(body: unknown, userId: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /cart/holds',
    rawPath: '/cart/holds',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method: 'POST', path: '/cart/holds', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, authorizer: { lambda: { userId, role: 'customer', sessionId: randomUUID() } } } as never,
  };
}

async function main() {
  await prepareDatabases(SERVER, prefix);
  const booking = new pg.Pool({ connectionString: databaseUrl('booking', env), max: CONCURRENCY + 2 });
  const users = Array.from({ length: BUYERS }, () => randomUUID());
  const results: Record<string, Round[]> = { raw: [], inProcess: [], gateway: [] };
  const checks: string[] = [];
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  try {
    // Baseline: a plain single-row upsert per attempt, same table, same concurrency.
    for (let r = 0; r < ROUNDS; r++) {
      const showtimeId = await newShowtime(booking);
      results.raw.push(
        await contend(async (buyer, seat) => {
          await booking.query(
            `INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at) VALUES ($1, $2, $3, 'held', 1000, now() + interval '10 minutes')
             ON CONFLICT (showtime_id, seat_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
            [showtimeId, seat, users[buyer]],
          );
          return 409; // the baseline has no rule: every attempt writes, and the buyer moves on
        }),
      );
    }

    Object.assign(process.env, env, { JWT_SECRET: randomBytes(32).toString('hex'), DATABASE_POOL_MAX: String(CONCURRENCY) });
    const { handler } = await import('../functions/booking/http/hold-seats');
    const context = () => ({ awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;
    for (let r = 0; r < ROUNDS; r++) {
      const showtimeId = await newShowtime(booking);
      const round = await contend(async (buyer, seat) => ((await handler(v2Event({ showtimeId, seats: [seat] }, users[buyer]), context())) as { statusCode: number }).statusCode);
      results.inProcess.push(round);
      checks.push(`in-process round ${r + 1}: ${await verify(booking, showtimeId, round)}`);
    }

    // Through the gateway: real sign-ins, the authorizer on every request.
    const jwtSecret = randomBytes(32).toString('hex');
    gateway = await startGateway({ httpPort: await freePort(), lambdaPort: await freePort(), env: { ...env, JWT_SECRET: jwtSecret, SCRYPT_COST: '1024', LOG_LEVEL: 'warn', ESBUILD_WORK_FOLDER: `.esbuild/${prefix}` } });
    const tokens: string[] = [];
    for (let i = 0; i < BUYERS; i++) {
      const email = `bench${i}@example.test`;
      await fetch(`${gateway.url}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'bench-password', name: 'Bench' }) });
      const login = await fetch(`${gateway.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'bench-password' }) });
      tokens.push(((await login.json()) as { token: string }).token);
    }
    for (let r = 0; r < ROUNDS; r++) {
      const showtimeId = await newShowtime(booking);
      const round = await contend(async (buyer, seat) => {
        const res = await fetch(`${gateway!.url}/cart/holds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[buyer]}` },
          body: JSON.stringify({ showtimeId, seats: [seat] }),
        });
        await res.arrayBuffer();
        return res.status;
      });
      results.gateway.push(round);
      const { rows } = await booking.query(`SELECT count(*) AS n FROM seat_claims WHERE showtime_id = $1`, [showtimeId]);
      checks.push(`gateway round ${r + 1}: ${round.won} holds won, ${rows[0].n} claim rows: ${rows[0].n === round.won && round.won === Math.min(SEATS, BUYERS) ? 'correct' : 'WRONG'}`);
    }
  } finally {
    await gateway?.stop();
    await booking.end();
    const { closePools } = await import('../layers/core/db');
    await closePools();
    await dropDatabases(SERVER, prefix);
    rmSync(join(ROOT, '.esbuild', prefix), { recursive: true, force: true });
  }

  const rate = (rs: Round[]) => median(rs.map((r) => r.attempts / r.seconds));
  const lat = (rs: Round[], p: number) => median(rs.map((r) => percentile(r.latencies, p)));
  const baseline = { name: 'raw upserts/s', value: rate(results.raw) };
  printTable(`Seat contention — ${BUYERS} buyers for ${SEATS} seats, ${CONCURRENCY} at a time, median of ${ROUNDS} rounds`, [
    { figure: 'raw PostgreSQL single-row upserts (baseline)', value: rate(results.raw), unit: '/s' },
    { figure: 'hold handler in-process: holds/s (won + refused)', value: rate(results.inProcess), unit: '/s', baseline },
    { figure: 'through the gateway: holds/s', value: rate(results.gateway), unit: '/s', baseline },
    { figure: 'raw upsert p50', value: lat(results.raw, 50), unit: 'ms' },
    { figure: 'in-process hold p50', value: lat(results.inProcess, 50), unit: 'ms', baseline: { name: 'raw p50', value: lat(results.raw, 50) } },
    { figure: 'in-process hold p99', value: lat(results.inProcess, 99), unit: 'ms', baseline: { name: 'raw p99', value: lat(results.raw, 99) } },
    { figure: 'gateway hold p50', value: lat(results.gateway, 50), unit: 'ms', baseline: { name: 'raw p50', value: lat(results.raw, 50) } },
    { figure: 'gateway hold p99', value: lat(results.gateway, 99), unit: 'ms', baseline: { name: 'raw p99', value: lat(results.raw, 99) } },
  ]);
  console.log('\nCorrectness:\n' + checks.map((c) => `- ${c}`).join('\n'));
  if (checks.some((c) => c.includes('WRONG'))) process.exit(1);
}

await main();
process.exit(0);
