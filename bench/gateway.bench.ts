// Start-up and request latency of the local platform.
// - `npm start` to ready: cold (new databases to create, migrate and seed) and warm (a
//   second start on the same data), and how much of each is serverless-esbuild bundling the
//   functions (from its own "Compiling…" lines in the gateway's log). Every start has its own
//   databases, data folder, ports, chain ports and event names, all removed after its round.
// - A warm request through serverless-offline against the same handler invoked in-process,
//   in rounds of BENCH_SECONDS that take turns after a warm-up: the ratio is what the local
//   gateway adds.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import pg from 'pg';
import { ROOT, startGateway } from '../infra/local/gateway';
import { dropDatabases, prepareDatabases } from '../infra/local/postgres';
import { seedDemo } from '../infra/local/seed';
import { cinemaTopology } from '../layers/contracts/consumers';
import { DEFAULT_DATABASE_URL, databaseUrl } from '../layers/core/db';
import { dropDatabase } from '../layers/core/migrate';
import { deleteTopology } from '../layers/events/rabbitmq';
import { freePort } from '../test/support/ports';
import { forSeconds, interleaved, median, percentile, printTable } from './lib/stats';
import { runBench, type Checks } from './lib/checks';
import { httpEvent, lambdaContext } from './lib/lambda-event';

process.env.LOG_LEVEL = 'warn';
const SERVER = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const START_ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const START_DEADLINE_MS = 180_000;

interface Start {
  /** `npm start` launched to "ready in" printed, ms */
  total: number;
  /** serverless-esbuild's "Compiling to … bundle with esbuild..." to its "Compiling completed.", ms; 0 when the bundles were reused */
  esbuild: number;
  /** the gateway started on the bundles of the earlier start */
  reused: boolean;
  output: string;
}

/** Starts `npm start` (as its script does), times it to ready, then stops it with Ctrl-C. */
async function timeStart(env: Record<string, string>): Promise<Start> {
  const gatewayLog = join(env.CINEMA_DATA_DIR, 'logs', 'gateway.log');
  const logFrom = existsSync(gatewayLog) ? statSync(gatewayLog).size : 0; // a warm start appends to the cold start's log
  const t0 = performance.now();
  // SLS_LOG_LEVEL=info: serverless's verbose lines, among them serverless-esbuild's "Compiling…"
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'infra/local/start.ts')], { cwd: ROOT, env: { ...process.env, SCRYPT_COST: '16384', SLS_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let compiling: number | undefined;
  let compiled: number | undefined;
  let reused = false;
  let ready = NaN;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (compiled === undefined && existsSync(gatewayLog)) {
          const log = readFileSync(gatewayLog).subarray(logFrom).toString(); // bytes: the log holds emoji
          if (/\[bundle cache\] bundles reused/.test(log)) reused = true;
          if (compiling === undefined && /Compiling to \S+ bundle with esbuild/.test(log)) compiling = performance.now();
          if (compiling !== undefined && /Compiling completed\./.test(log)) compiled = performance.now();
        }
        const failed = child.exitCode !== null ? 'exited' : performance.now() - t0 > START_DEADLINE_MS ? `not ready after ${START_DEADLINE_MS / 1000} s` : undefined;
        if (/ready in/.test(out) || failed) {
          clearInterval(timer);
          if (failed) reject(new Error(`npm start ${failed}:\n${out.slice(-4000)}`));
          else {
            ready = performance.now();
            resolve();
          }
        }
      }, 20);
    });
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(kill);
    }
  }
  const total = ready - t0;
  if (reused) return { total, esbuild: 0, reused, output: out };
  if (compiling === undefined || compiled === undefined) throw new Error(`no "Compiling…" lines of serverless-esbuild in ${gatewayLog}: is SLS_LOG_LEVEL still honoured?`);
  return { total, esbuild: compiled - compiling, reused, output: out };
}

/** Rounds of a cold then a warm start, each round on a platform of its own, removed after it. */
async function startupFigures(checks: Checks) {
  const cold: Start[] = [];
  const warm: Start[] = [];
  const broker = await amqp.connect(RABBITMQ_URL);
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  try {
    for (let i = 0; i < START_ROUNDS; i++) {
      const prefix = `b_${randomBytes(4).toString('hex')}`;
      const eventPrefix = `bench-${prefix}-`;
      const dir = mkdtempSync(join(tmpdir(), 'cinema-bench-'));
      const chainPorts = await Promise.all([0, 1, 2, 3].map(() => freePort()));
      const env = {
        DATABASE_URL: SERVER,
        DATABASE_PREFIX: prefix,
        CINEMA_DATA_DIR: dir,
        PORT: String(await freePort()),
        LAMBDA_PORT: String(await freePort()),
        CHAIN_PORTS: chainPorts.join(','),
        EVENT_TRANSPORT: 'rabbitmq',
        RABBITMQ_URL,
        EVENT_NAME_PREFIX: eventPrefix,
        ESBUILD_WORK_FOLDER: `.esbuild/${prefix}`,
        // a bundle cache of this round's own: its cold start bundles, its warm start reuses
        CINEMA_BUNDLE_CACHE_DIR: join(dir, 'bundle-cache'),
      };
      try {
        const c = await timeStart(env);
        const w = await timeStart(env);
        cold.push(c);
        warm.push(w);
        checks.expect(/seeded demo data/.test(c.output) && !/seeded demo data/.test(w.output), `start round ${i + 1}: the cold start seeded the demo data, the warm start found it there`);
        checks.expect(!c.reused && w.reused, `start round ${i + 1}: the cold start bundled the functions, the warm start reused its bundles`);
        const answer = (await (await fetch(`http://127.0.0.1:${env.PORT}/movies`).catch(() => undefined))?.status) ?? 'none';
        checks.expect(answer === 'none', `start round ${i + 1}: stopped after it (GET /movies: ${answer})`);
        console.error(`[gateway bench] start round ${i + 1}: cold ${(c.total / 1000).toFixed(2)} s (esbuild ${(c.esbuild / 1000).toFixed(2)} s), warm ${(w.total / 1000).toFixed(2)} s (esbuild ${(w.esbuild / 1000).toFixed(2)} s)`);
      } finally {
        await dropDatabases(SERVER, prefix);
        for (const id of [0, 1, 2, 3]) await dropDatabase(SERVER, `${prefix}_replica_${id}`);
        const channel = await broker.createChannel();
        await deleteTopology(channel, cinemaTopology({ prefix: eventPrefix }));
        await channel.close();
        rmSync(dir, { recursive: true, force: true });
        rmSync(join(ROOT, '.esbuild', prefix), { recursive: true, force: true });
      }
      const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}\\_%`]);
      checks.expect(rows.length === 0, `start round ${i + 1}: ${rows.length} of its databases left after it${rows.length ? ` (${rows.map((r) => r.datname).join(', ')})` : ''}`);
    }
  } finally {
    await broker.close();
    await admin.end();
  }
  return { cold, warm };
}


/** Requests one after another for `seconds`; each must answer 200. */
async function latencies(seconds: number, call: () => Promise<number>): Promise<number[]> {
  const { steps } = await forSeconds(seconds, async () => {
    const t0 = performance.now();
    const status = await call();
    if (status !== 200) throw new Error(`GET /movies answered ${status}`);
    return performance.now() - t0;
  });
  return steps;
}

async function requestFigures() {
  const prefix = `b_${randomBytes(4).toString('hex')}`;
  await prepareDatabases(SERVER, prefix);
  const env = { DATABASE_URL: SERVER, DATABASE_PREFIX: prefix, JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', SCRYPT_COST: '16384' };
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  try {
    const pools = { auth: new pg.Pool({ connectionString: databaseUrl('auth', env) }), catalog: new pg.Pool({ connectionString: databaseUrl('catalog', env) }) };
    await seedDemo(pools, { scryptCost: 16384 });
    await Promise.all(Object.values(pools).map((p) => p.end()));
    gateway = await startGateway({ httpPort: await freePort(), lambdaPort: await freePort(), env: { ...env, ESBUILD_WORK_FOLDER: `.esbuild/${prefix}` } });
    Object.assign(process.env, env);
    const { handler } = await import('../functions/catalog/http/list-movies');
    const url = `${gateway.url}/movies?pageSize=5`;
    const seconds = (r: number) => (r < 0 ? 1 : SECONDS); // round -1 is the warm-up: workers started, pools connected
    return await interleaved(
      ROUNDS,
      {
        viaGateway: (r) =>
          latencies(seconds(r), async () => {
            const res = await fetch(url);
            await res.arrayBuffer();
            return res.status;
          }),
        inProcess: (r) => latencies(seconds(r), async () => ((await handler(httpEvent('GET', '/movies', { queryStringParameters: { pageSize: '5' } }), lambdaContext())) as { statusCode: number }).statusCode),
      },
      (name, r, ls) => console.error(`[gateway bench] ${name} round ${r + 1}: ${ls.length} requests, p50 ${percentile(ls, 50).toFixed(2)} ms`),
    );
  } finally {
    await gateway?.stop();
    const { closePools } = await import('../layers/core/db');
    await closePools();
    await dropDatabases(SERVER, prefix);
    rmSync(join(ROOT, '.esbuild', prefix), { recursive: true, force: true });
  }
}

await runBench(async (checks) => {
  const start = await startupFigures(checks);
  const req = await requestFigures();
  const s = (starts: Start[], k: 'total' | 'esbuild') => median(starts.map((x) => x[k])) / 1000;
  const p = (rounds: number[][], q: number) => median(rounds.map((l) => percentile(l, q)));
  printTable(`npm start (${START_ROUNDS} rounds of a cold and a warm start) and a warm request, GET /movies (${ROUNDS} rounds of ${SECONDS} s each way, taking turns after a warm-up)`, [
    { figure: '`npm start` to ready, cold (create, migrate, seed)', value: s(start.cold, 'total'), unit: 's', baseline: { name: 'warm start', value: s(start.warm, 'total') } },
    { figure: 'of a cold start: serverless-esbuild bundling the functions', value: s(start.cold, 'esbuild'), unit: 's', baseline: { name: 'the whole cold start', value: s(start.cold, 'total') } },
    { figure: 'of a warm start: serverless-esbuild bundling the functions (bundles reused)', value: s(start.warm, 'esbuild'), unit: 's', baseline: { name: 'the whole warm start', value: s(start.warm, 'total') } },
    { figure: 'warm request p50, through the gateway', value: p(req.viaGateway, 50), unit: 'ms', baseline: { name: 'in-process p50', value: p(req.inProcess, 50) } },
    { figure: 'warm request p99, through the gateway', value: p(req.viaGateway, 99), unit: 'ms', baseline: { name: 'in-process p99', value: p(req.inProcess, 99) } },
  ]);
});
