// `npm start` from nothing: with the local PostgreSQL, and with none reachable (embedded).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT } from '../../infra/local/gateway';
import { dropDatabases } from '../../infra/local/postgres';
import { freePort } from '../support/ports';
import { TEST_SERVER_URL } from '../support/stack';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'infra/local/start.ts')], {
    cwd: ROOT,
    env: { ...process.env, SCRYPT_COST: '1024', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 150_000;
  while (!/ready in/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, output: () => out, exited };
}

describe('npm start', () => {
  it('brings the platform up on the local PostgreSQL, seeds it, and stops on Ctrl-C', async () => {
    const prefix = `s_${randomBytes(4).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'cinema-start-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => dropDatabases(TEST_SERVER_URL, prefix));
    const port = await freePort();
    const env = { DATABASE_URL: TEST_SERVER_URL, DATABASE_PREFIX: prefix, CINEMA_DATA_DIR: dir, PORT: String(port), LAMBDA_PORT: String(await freePort()) };

    const first = await start(env);
    expect(first.output()).toMatch(/seeded demo data: 5 movies, 2 halls, 42 showtimes/);
    expect(first.output()).toContain('admin@cinema.test');
    const movies: any = await (await fetch(`http://127.0.0.1:${port}/movies`)).json();
    expect(movies.total).toBe(5);
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'customer@cinema.test', password: 'customer-demo-password' }),
    });
    expect(login.status).toBe(200);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/movies`)).rejects.toThrow();

    // a second start keeps the data and does not seed again
    const second = await start(env);
    expect(second.output()).not.toMatch(/seeded/);
    expect(((await (await fetch(`http://127.0.0.1:${port}/movies`)).json()) as any).total).toBe(5);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000);

  it('falls back to embedded PostgreSQL when none is reachable, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cinema-embedded-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const closed = await freePort();
    const port = await freePort();
    const run = await start({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/postgres`,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      CINEMA_DATA_DIR: dir,
      PORT: String(port),
      LAMBDA_PORT: String(await freePort()),
    });
    expect(run.output()).toMatch(/PostgreSQL is not reachable .* starting embedded PostgreSQL/);
    expect(run.output()).toMatch(/\(embedded\)/);
    const dataDir = /starting embedded PostgreSQL in (\S+)/.exec(run.output())![1];
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const seats: any = await (await fetch(`http://127.0.0.1:${port}/halls`)).json();
    expect(seats.items.map((h: any) => h.name).sort()).toEqual(['Grand', 'Studio']);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  }, 300_000);
});
