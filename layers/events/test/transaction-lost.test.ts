// A transaction whose connection is cut while it waits between two statements (as the outbox
// relay's does while it publishes) fails; the process goes on and the pool serves again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEFAULT_DATABASE_URL, withTransaction } from '../../core/db';
import { TcpProxy } from './support';

const server = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
let proxy: TcpProxy;
let pool: pg.Pool;
beforeAll(async () => {
  proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
  const url = new URL(server);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => undefined);
});
afterAll(async () => {
  await pool?.end();
  await proxy?.close();
});

describe('withTransaction', () => {
  it('fails, without ending the process, when the connection is lost between two statements', async () => {
    const unheard: unknown[] = [];
    const onUncaught = (err: unknown) => unheard.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const cut = withTransaction(pool, async (tx) => {
        await tx.query('SELECT 1');
        await proxy.down();
        await new Promise((r) => setTimeout(r, 200));
        await tx.query('SELECT 2');
      });
      await expect(cut).rejects.toThrow();
      await proxy.up();
      expect(await withTransaction(pool, async (tx) => (await tx.query('SELECT 3 AS n')).rows[0].n)).toBe(3);
      expect(unheard).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
