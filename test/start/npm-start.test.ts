// `npm start` from nothing: with the local PostgreSQL and RabbitMQ, and with neither reachable
// (embedded PostgreSQL, and the SQS transport on an embedded endpoint).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ROOT } from '../../infra/local/gateway';
import { dropDatabases } from '../../infra/local/postgres';
import { dropDatabase } from '../../layers/core/migrate';
import { freePort } from '../support/ports';
import { TEST_SERVER_URL, TEST_RABBITMQ_URL } from '../support/stack';
import amqp from 'amqplib';
import { deleteTopology } from '../../layers/events/rabbitmq';
import { queueName } from '../../layers/events/topology';
import { CONSUMER_QUEUES, cinemaTopology } from '../../layers/contracts/consumers';
import { DEMO_ADMIN, DEMO_CUSTOMER } from '../../infra/local/seed';

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
    for (const id of [0, 1, 2, 3]) cleanups.push(() => dropDatabase(TEST_SERVER_URL, `${prefix}_replica_${id}`));
    const port = await freePort();
    const chainPorts = await Promise.all([0, 1, 2, 3].map(() => freePort()));
    // its own exchange and queues, so that no other `npm start` on this broker shares them
    const eventPrefix = `${prefix}-`;
    cleanups.push(async () => {
      const connection = await amqp.connect(TEST_RABBITMQ_URL);
      try {
        await deleteTopology(await connection.createChannel(), cinemaTopology({ prefix: eventPrefix }));
      } finally {
        await connection.close();
      }
    });
    const env = { DATABASE_URL: TEST_SERVER_URL, DATABASE_PREFIX: prefix, CINEMA_DATA_DIR: dir, PORT: String(port), LAMBDA_PORT: String(await freePort()), EVENT_TRANSPORT: '', EVENT_NAME_PREFIX: eventPrefix, CHAIN_PORTS: chainPorts.join(',') };

    const first = await start(env);
    expect(first.output()).toMatch(/seeded demo data: 5 movies, 2 halls, 42 showtimes/);
    expect(first.output()).toContain('admin@cinema.test');
    // RabbitMQ answers here, so the events go through it
    expect(first.output()).toContain(`, exchange ${eventPrefix}cinema.events`);
    expect(first.output()).toMatch(/events: RabbitMQ at amqp:\/\/\S+, exchange /);
    {
      const connection = await amqp.connect(TEST_RABBITMQ_URL);
      try {
        const channel = await connection.createChannel();
        const topology = cinemaTopology({ prefix: eventPrefix });
        for (const q of topology.queues) expect((await channel.checkQueue(queueName(topology, q.name))).queue).toMatch(new RegExp(`^${eventPrefix}`));
      } finally {
        await connection.close();
      }
    }
    const movies: any = await (await fetch(`http://127.0.0.1:${port}/movies`)).json();
    expect(movies.total).toBe(5);
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'customer@cinema.test', password: 'customer-demo-password' }),
    });
    expect(login.status).toBe(200);
    // the four chain replicas, and what the ledger is given to reach them
    for (const p of chainPorts) expect((await fetch(`http://127.0.0.1:${p}/health`)).status).toBe(200);
    const stack = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8'));
    expect(stack.chain.CHAIN_NODES).toBe(chainPorts.map((p) => `http://127.0.0.1:${p}`).join(','));
    expect(stack.chain.CHAIN_GENESIS_FILE).toBe(join(dir, 'chain', 'genesis.json'));
    expect(stack.chain.LEDGER_SIGNING_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'chain', 'keys', 'ledger.key')).mode & 0o777).toBe(0o600);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/movies`)).rejects.toThrow();

    // a second start keeps the data and does not seed again, and starts the gateway on the kept bundles
    const second = await start(env);
    expect(second.output()).not.toMatch(/seeded/);
    expect(readFileSync(join(dir, 'logs', 'gateway.log'), 'utf8')).toMatch(/\[bundle cache\] bundles reused from /);
    expect(second.output()).toMatch(/ready in [\d.]+ s \(at once: databases [\d.]+ s, chain [\d.]+ s, web app and gateway [\d.]+ s, events [\d.]+ s\)/);
    // the same cluster: its keys and genesis are reused
    expect(JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')).chain).toEqual(stack.chain);
    expect(((await (await fetch(`http://127.0.0.1:${port}/movies`)).json()) as any).total).toBe(5);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000);

  it('falls back to embedded PostgreSQL and to SQS on an embedded endpoint when neither answers, says so, and events flow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cinema-embedded-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const closed = await freePort();
    const port = await freePort();
    const sqsPort = await freePort();
    let chainPorts: number[] = [];
    const run = await start({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/postgres`,
      RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${closed}`,
      EVENT_TRANSPORT: '',
      EMBEDDED_SQS_PORT: String(sqsPort),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      CINEMA_DATA_DIR: dir,
      PORT: String(port),
      LAMBDA_PORT: String(await freePort()),
      CHAIN_PORTS: (chainPorts = await Promise.all([0, 1, 2, 3].map(() => freePort()))).join(','),
    });
    expect(run.output()).toMatch(/PostgreSQL is not reachable .* starting embedded PostgreSQL/);
    expect(run.output()).toMatch(/\(embedded\)/);
    const dataDir = /starting embedded PostgreSQL in (\S+)/.exec(run.output())![1];
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    const halls: any = await (await fetch(`http://127.0.0.1:${port}/halls`)).json();
    expect(halls.items.map((h: any) => h.name).sort()).toEqual(['Grand', 'Studio']);
    expect(run.output()).toContain(`RabbitMQ is not reachable at amqp://guest:***@127.0.0.1:${closed}; using the SQS transport on an embedded endpoint at http://127.0.0.1:${sqsPort}`);
    expect(run.output()).toMatch(new RegExp(`events: SQS at \\S+ \\(embedded\\), ${CONSUMER_QUEUES.length} queues with DLQs`));

    // the event flow on SQS: a showtime the demo admin schedules reaches booking
    // (showtime.scheduled), a purchase becomes a booking (payment.success), the seat map follows (booking.confirmed)
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
    };
    const admin = (await call('POST', '/auth/login', { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password })).body.token;
    const customer = (await call('POST', '/auth/login', { email: DEMO_CUSTOMER.email, password: DEMO_CUSTOMER.password })).body.token;
    const movie = (await call('GET', '/movies')).body.items[0];
    // far past the seeded week, so the hall is free
    const startsAt = new Date(Date.now() + 60 * 24 * 3600_000).toISOString();
    const showtime = await call('POST', '/showtimes', { movieId: movie.id, hallId: halls.items[0].id, startsAt }, admin);
    expect(showtime.status).toBe(201);
    const showtimeId = showtime.body.showtime.id;
    const seatId = (await call('GET', `/showtimes/${showtimeId}/seats`)).body.seatMap.rows[0].cells.find((c: any) => c).seatId;
    const until = async <T>(probe: () => Promise<T | undefined>, what: string) => {
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
        const value = await probe();
        if (value !== undefined) return value;
      }
      throw new Error(`timed out waiting for ${what}\n${run.output().slice(-3000)}`);
    };
    // booking refuses holds on a showtime it has not heard of
    await until(async () => ((await call('POST', '/cart/holds', { showtimeId, seats: [seatId] }, customer)).status === 201 ? true : undefined), 'booking to hear of the showtime');
    const checkout = await call('POST', '/cart/checkout', { showtimeId }, customer);
    const payment = await call('POST', '/payments', { checkoutId: checkout.body.checkout.id }, customer);
    expect((await call('POST', payment.body.nextAction.url, { cardNumber: '4242424242424242' })).body.outcome).toBe('succeeded');
    await until(async () => ((await call('GET', '/bookings', undefined, customer)).body.items.some((b: any) => b.showtimeId === showtimeId && b.status === 'confirmed') ? true : undefined), 'the booking');
    await until(async () => ((await call('GET', `/showtimes/${showtimeId}/seats`)).body.seatMap.counts.sold === 1 ? true : undefined), 'the seat map');
    // the ledger makes the payment and the booking final on the chain (replicas on the embedded PostgreSQL)
    const chainHeight = async () => ((await (await fetch(`http://127.0.0.1:${chainPorts[1]}/status`)).json()) as { height: number }).height;
    await until(async () => ((await chainHeight()) >= 1 ? true : undefined), 'the ledger\'s facts on the chain');
    run.child.kill('SIGINT');
    expect(await run.exited, run.output().slice(-3000)).toBe(0);
  }, 300_000);
});
