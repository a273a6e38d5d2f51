// Start-up and request latency of the local platform.
// - `npm start` to ready: cold (new databases to create, migrate and seed) and warm (a
//   second start on the same data).
// - A warm request through serverless-offline against the same handler invoked in-process,
//   in the same run: the ratio is what the local gateway adds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import pg from 'pg';
import { ROOT, startGateway } from '../infra/local/gateway';
import { dropDatabases, prepareDatabases } from '../infra/local/postgres';
import { seedDemo } from '../infra/local/seed';
import { DEFAULT_DATABASE_URL, databaseUrl } from '../layers/core/db';
import { freePort } from '../test/support/ports';
import { median, percentile, printTable } from './lib/stats';

process.env.LOG_LEVEL = 'warn';
const SERVER = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const ROUNDS = Number(process.env.BENCH_START_ROUNDS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

async function timeStart(env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'infra/local/start.ts')], { cwd: ROOT, env: { ...process.env, SCRYPT_COST: '16384', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/ready in/.test(out)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(out));
      }
    }, 20);
  });
  const elapsed = performance.now() - t0;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
  return elapsed;
}

async function startupFigures() {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const prefix = `b_${randomBytes(4).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'cinema-bench-'));
    const env = { DATABASE_URL: SERVER, DATABASE_PREFIX: prefix, CINEMA_DATA_DIR: dir, PORT: String(await freePort()), LAMBDA_PORT: String(await freePort()) };
    try {
      cold.push(await timeStart(env));
      warm.push(await timeStart(env));
    } finally {
      await dropDatabases(SERVER, prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { cold: median(cold), warm: median(warm) };
}

function v2Event(method: string, path: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: 'pageSize=5',
    headers,
    queryStringParameters: { pageSize: '5' },
    requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' }, requestId: randomBytes(8).toString('hex') } as never,
    isBase64Encoded: false,
  };
}

async function latencies(n: number, call: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await call(); // warm-up: workers started, pools connected
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const status = await call();
    out.push(performance.now() - t0);
    if (status !== 200) throw new Error(`unexpected status ${status}`);
  }
  return out;
}

async function requestFigures() {
  const prefix = `b_${randomBytes(4).toString('hex')}`;
  await prepareDatabases(SERVER, prefix);
  const env = { DATABASE_URL: SERVER, DATABASE_PREFIX: prefix, JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', SCRYPT_COST: '16384' };
  const pools = { auth: new pg.Pool({ connectionString: databaseUrl('auth', env) }), catalog: new pg.Pool({ connectionString: databaseUrl('catalog', env) }) };
  await seedDemo(pools, { scryptCost: 16384 });
  await Promise.all(Object.values(pools).map((p) => p.end()));
  const gateway = await startGateway({ httpPort: await freePort(), lambdaPort: await freePort(), env: { ...env, ESBUILD_WORK_FOLDER: `.esbuild/${prefix}` } });
  try {
    const viaGateway = await latencies(REQUESTS, async () => {
      const res = await fetch(`${gateway.url}/movies?pageSize=5`);
      await res.arrayBuffer();
      return res.status;
    });
    Object.assign(process.env, env);
    const { handler } = await import('../functions/catalog/http/list-movies');
    const context = () => ({ awsRequestId: randomBytes(8).toString('hex'), getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;
    const inProcess = await latencies(REQUESTS, async () => ((await handler(v2Event('GET', '/movies'), context())) as { statusCode: number }).statusCode);
    return { viaGateway, inProcess };
  } finally {
    await gateway.stop();
    const { closePools } = await import('../layers/core/db');
    await closePools();
    await dropDatabases(SERVER, prefix);
    rmSync(join(ROOT, '.esbuild', prefix), { recursive: true, force: true });
  }
}

const start = await startupFigures();
const req = await requestFigures();
printTable(`npm start and a warm request (GET /movies) — ${ROUNDS} start rounds, ${REQUESTS} requests`, [
  { figure: '`npm start` to ready, cold (create, migrate, seed)', value: start.cold / 1000, unit: 's', baseline: { name: 'warm start', value: start.warm / 1000 } },
  { figure: 'warm request p50, through the gateway', value: median(req.viaGateway), unit: 'ms', baseline: { name: 'in-process p50', value: median(req.inProcess) } },
  { figure: 'warm request p99, through the gateway', value: percentile(req.viaGateway, 99), unit: 'ms', baseline: { name: 'in-process p99', value: percentile(req.inProcess, 99) } },
]);
process.exit(0);
