// Test support for the events layer: unique names, real databases, the broker reached through a
// TCP proxy (to take it away and give it back), and polling.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DEFAULT_DATABASE_URL } from '../../core/db';
import type { Logger } from '../../core/log';
import { dropDatabase, ensureDatabase } from '../../core/migrate';
import { OUTBOX_INBOX_SQL } from '../sql';
import { freePort } from '../../../test/support/ports';
import { TcpProxy } from '../../../test/support/tcp-proxy';

export { freePort, TcpProxy };

export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PG_SERVER_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

/** A name prefix no other test file (or run) shares. */
export const uniquePrefix = (label: string) => `t-${label}-${randomBytes(4).toString('hex')}-`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns something truthy, and returns it. */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export interface TestDatabase {
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database with the outbox and inbox tables (and `extraSql`), dropped by `drop()`. */
export async function createTestDatabase(label: string, extraSql = ''): Promise<TestDatabase> {
  const name = `cinema_test_${label}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(PG_SERVER_URL, name);
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
  // dropping the database at the end ends any connection still closing
  pool.on('error', () => undefined);
  await pool.query(OUTBOX_INBOX_SQL + extraSql);
  return {
    pool,
    async drop() {
      await pool.end();
      await dropDatabase(PG_SERVER_URL, name);
    },
  };
}

export const rabbitUrlVia = (proxy: TcpProxy) => {
  const url = new URL(RABBITMQ_URL);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
};

/** Keeps expected warnings (retries, dropped connections) out of the test output. */
export const quietLog: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLog };

/** A logger that keeps what it was told, for tests that check what a failure logs. */
export function recordingLog(): Logger & { lines: { level: string; msg: string; fields: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const make = (base: Record<string, unknown>): Logger => ({
    debug: (msg, fields) => void lines.push({ level: 'debug', msg, fields: { ...base, ...fields } }),
    info: (msg, fields) => void lines.push({ level: 'info', msg, fields: { ...base, ...fields } }),
    warn: (msg, fields) => void lines.push({ level: 'warn', msg, fields: { ...base, ...fields } }),
    error: (msg, fields) => void lines.push({ level: 'error', msg, fields: { ...base, ...fields } }),
    child: (fields) => make({ ...base, ...fields }),
  });
  return Object.assign(make({}), { lines });
}
