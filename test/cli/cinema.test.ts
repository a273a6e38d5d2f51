import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../infra/local/gateway';
import { createTestDatabases, type TestDatabases } from '../support/stack';
import { verifyPassword } from '../../functions/auth/passwords';
import { consumerAuthenticator, relaySigner } from '../../layers/contracts/event-keys';
import { paymentSucceeded } from '../../layers/contracts/events';

let db: TestDatabases;
beforeAll(async () => {
  db = await createTestDatabases();
});
afterAll(async () => {
  await db?.drop();
});

const cinema = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/cinema.mjs'), ...args], { env: { ...process.env, ...db.env, SCRYPT_COST: '1024' }, encoding: 'utf8' });

describe('the cinema command', () => {
  it('creates an admin, and promotes an existing account', async () => {
    const made = cinema('admin', 'create', '--email', 'Boss@Cinema.test', '--password', 'a-strong-password', '--name', 'Boss');
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/Admin boss@cinema.test created/);
    const { rows } = await db.pool('auth').query('SELECT role, password_hash FROM users WHERE email = $1', ['boss@cinema.test']);
    expect(rows[0].role).toBe('admin');
    expect(await verifyPassword('a-strong-password', rows[0].password_hash)).toBe(true);

    await db.pool('auth').query(`UPDATE users SET role = 'customer' WHERE email = 'boss@cinema.test'`);
    const promoted = cinema('admin', 'create', '--email', 'boss@cinema.test');
    expect(promoted.stdout).toMatch(/is now an admin/);
    expect((await db.pool('auth').query('SELECT role FROM users WHERE email = $1', ['boss@cinema.test'])).rows[0].role).toBe('admin');
  });

  it('creates door staff with --role door, and refuses another role', async () => {
    const made = cinema('admin', 'create', '--role', 'door', '--email', 'door@cinema.test', '--password', 'a-strong-password');
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/Door staff door@cinema.test created/);
    expect((await db.pool('auth').query('SELECT role FROM users WHERE email = $1', ['door@cinema.test'])).rows[0].role).toBe('door');
    const wrong = cinema('admin', 'create', '--role', 'king', '--email', 'door@cinema.test');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/--role must be admin or door/);
  });

  it('refuses bad arguments with a message and exit code 2', () => {
    const weak = cinema('admin', 'create', '--email', 'x@cinema.test', '--password', 'short');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/password must be at least 8 characters/);
    const unknown = cinema('launch', 'rockets');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command/);
  });

  it('makes event keys as .env lines: what a relay signs with, the consumers verify', () => {
    const run = cinema('events', 'keys');
    expect(run.status, run.stderr).toBe(0);
    const settings = Object.fromEntries(run.stdout.split('\n').filter((l) => /^EVENT_/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(Object.keys(settings).sort()).toEqual(['BOOKING', 'CATALOG', 'PAYMENT'].flatMap((d) => [`EVENT_PUBLIC_KEY_${d}`, `EVENT_SIGNING_KEY_${d}`]).sort());
    const paid = paymentSucceeded({ paymentId: crypto.randomUUID(), checkoutId: crypto.randomUUID(), userId: crypto.randomUUID(), showtimeId: crypto.randomUUID(), seats: ['A1'], amount: 1, currency: 'EUR', provider: 'test' });
    expect(consumerAuthenticator('booking-payment-succeeded', settings)(relaySigner('payment', settings).sign(paid))).toEqual({ ok: true });
    expect(cinema('events', 'list').status).toBe(2);
    // a second run makes new keys
    expect(cinema('events', 'keys').stdout).not.toContain(settings.EVENT_SIGNING_KEY_PAYMENT);
  });

  it('seeds demo data once', async () => {
    const first = cinema('seed');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Seeded 5 movies, 2 halls, 42 showtimes/);
    const again = cinema('seed');
    expect(again.stdout).toMatch(/nothing seeded/);
    expect((await db.pool('catalog').query('SELECT count(*) AS n FROM showtimes')).rows[0].n).toBe(42);
  });

  it('reads the dev mailbox', async () => {
    await db.pool('auth').query(`INSERT INTO dev_mailbox (to_address, subject, body) VALUES ('reader@cinema.test', 'Reset your cinema password', 'token: abc')`);
    const out = cinema('mail', 'list', '--to', 'reader@cinema.test');
    expect(out.stdout).toMatch(/Reset your cinema password\n  token: abc/);
  });
});
