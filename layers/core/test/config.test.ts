// The shared layers read the environment only through validated config: a bad value fails
// when the module loads (or the pool is made), naming the variable.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, liveSetting, loadConfig } from '../config';
import { closePools, databaseName, databaseUrl, getPool } from '../db';
import { gatewayEvent, lambdaContext } from './support';

const saved = { ...process.env };
afterEach(async () => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  vi.restoreAllMocks();
  vi.resetModules();
  await closePools();
});

describe('loadConfig', () => {
  it('names every variable that is wrong', () => {
    const load = () => loadConfig({ DATABASE_POOL_MAX: env.int(3, 1, 100), CORS_ORIGIN: env.origin('*') }, { DATABASE_POOL_MAX: 'lots', CORS_ORIGIN: 'https://cinema.example/app' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/DATABASE_POOL_MAX: .*; CORS_ORIGIN: must be \* or an origin/);
  });

  it('takes defaults for what is unset', () => {
    expect(loadConfig({ CORS_ORIGIN: env.origin('*'), DATABASE_IDLE_MS: env.int(5_000) }, {})).toEqual({ CORS_ORIGIN: '*', DATABASE_IDLE_MS: 5_000 });
    expect(loadConfig({ CORS_ORIGIN: env.origin('*') }, { CORS_ORIGIN: 'http://127.0.0.1:5173' }).CORS_ORIGIN).toBe('http://127.0.0.1:5173');
  });

  it('checks a live setting again when it changes, and only then', () => {
    const vars: Record<string, string | undefined> = { LOG_LEVEL: 'warn' };
    let checks = 0;
    const schema = z
      .enum(['debug', 'info', 'warn', 'error'])
      .default('info')
      .transform((v) => (checks++, v));
    const level = liveSetting('LOG_LEVEL', schema, vars);
    expect([level(), level(), level()]).toEqual(['warn', 'warn', 'warn']);
    expect(checks).toBe(1);
    vars.LOG_LEVEL = 'debug';
    expect(level()).toBe('debug');
    delete vars.LOG_LEVEL;
    expect(level()).toBe('info');
    expect(checks).toBe(3);
    vars.LOG_LEVEL = 'loud';
    expect(level).toThrow(/LOG_LEVEL/);
  });
});

describe('database settings', () => {
  it("names a domain's database after the prefix, and refuses a bad prefix or server URL by name", () => {
    expect(databaseName('booking', { DATABASE_PREFIX: 't_abc' })).toBe('t_abc_booking');
    expect(databaseUrl('payment', { DATABASE_URL: 'postgres://cinema@db.internal:5432/postgres', DATABASE_PREFIX: 'prod' })).toBe('postgres://cinema@db.internal:5432/prod_payment');
    expect(() => databaseName('booking', { DATABASE_PREFIX: 'Cinema-1' })).toThrow('Invalid configuration: DATABASE_PREFIX: must be lower-case letters, digits and _');
    expect(() => databaseUrl('booking', { DATABASE_URL: 'db internal' })).toThrow(/DATABASE_URL/);
    expect(() => databaseName('../auth')).toThrow(/not a domain name/);
  });

  it("takes a domain's own URL when given, an empty one meaning none", () => {
    expect(databaseUrl('ledger', { LEDGER_DATABASE_URL: 'postgres://ledger@ledger-db/ledger' })).toBe('postgres://ledger@ledger-db/ledger');
    expect(databaseUrl('ledger', { LEDGER_DATABASE_URL: '', DATABASE_PREFIX: 'x' })).toBe('postgres://postgres@127.0.0.1:5432/x_ledger');
    expect(() => databaseUrl('ledger', { LEDGER_DATABASE_URL: 'ledger db' })).toThrow(/LEDGER_DATABASE_URL/);
  });

  it('sizes a pool from DATABASE_POOL_MAX and DATABASE_IDLE_MS, and refuses a bad one by name', () => {
    process.env.DATABASE_POOL_MAX = '7';
    process.env.DATABASE_IDLE_MS = '1500';
    const pool = getPool('catalog');
    expect([pool.options.max, pool.options.idleTimeoutMillis]).toEqual([7, 1500]);
    expect(getPool('catalog')).toBe(pool);
    expect(getPool('catalog', 'catalog_reports')).not.toBe(pool);
    process.env.DATABASE_POOL_MAX = 'lots';
    expect(() => getPool('booking')).toThrow(/DATABASE_POOL_MAX/);
    process.env.DATABASE_POOL_MAX = '3';
    process.env.DATABASE_IDLE_MS = '-1';
    expect(() => getPool('booking')).toThrow(/DATABASE_IDLE_MS/);
  });
});

describe('settings read when a module loads', () => {
  it('refuses a bad LOG_LEVEL or an empty SERVICE_NAME as the log module loads', async () => {
    process.env.LOG_LEVEL = 'loud';
    await expect(import('../log')).rejects.toThrow(/LOG_LEVEL/);
    vi.resetModules();
    process.env.LOG_LEVEL = 'info';
    process.env.SERVICE_NAME = '';
    await expect(import('../log')).rejects.toThrow(/SERVICE_NAME/);
  });

  it('writes the service name on each line, at the level set even after loading', async () => {
    process.env.SERVICE_NAME = 'cinema-catalog';
    process.env.LOG_LEVEL = 'info';
    const { log } = await import('../log');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((line) => (lines.push(String(line)), true));
    log.info('seat map rebuilt');
    process.env.LOG_LEVEL = 'warn';
    log.info('not written');
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ level: 'info', msg: 'seat map rebuilt', service: 'cinema-catalog' })]);
  });

  it('takes the CORS origin from CORS_ORIGIN, refusing one that is not an origin', async () => {
    process.env.CORS_ORIGIN = 'https://cinema.example/';
    await expect(import('../http')).rejects.toThrow(/CORS_ORIGIN/);
    vi.resetModules();
    process.env.CORS_ORIGIN = 'https://cinema.example';
    const { route, ok } = await import('../http');
    const res = (await route({ access: 'public' }, async () => ok({}))(gatewayEvent(), lambdaContext())) as { headers: Record<string, string> };
    expect(res.headers['Access-Control-Allow-Origin']).toBe('https://cinema.example');
  });
});
