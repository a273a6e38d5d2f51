// A transaction whose connection is cut while it waits between two statements (as the outbox
// relay's does while it publishes) fails; the process goes on and the pool serves again. And a
// transaction PostgreSQL chose as a deadlock's victim runs again when its work allows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { DEFAULT_DATABASE_URL, withTransaction, withTransactionRetryingDeadlocks } from '../../core/db';
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

  it("runs a deadlock's victim again, once the other transaction has its locks", async () => {
    const direct = new pg.Pool({ connectionString: server.toString(), max: 4 });
    try {
      const key = Math.floor(Math.random() * 1e9);
      const runs = [0, 0];
      let bothHoldOne!: () => void;
      const firstLocks = new Promise<void>((r) => (bothHoldOne = r));
      let holding = 0;
      // two transactions taking two locks in opposite orders: one is the deadlock's victim
      const crossing = (me: 0 | 1) =>
        withTransactionRetryingDeadlocks(direct, async (tx) => {
          runs[me]++;
          const [a, b] = me === 0 ? [key, key + 1] : [key + 1, key];
          await tx.query('SELECT pg_advisory_xact_lock($1)', [a]);
          if (runs[me] === 1) {
            if (++holding === 2) bothHoldOne();
            await firstLocks;
          }
          await tx.query('SELECT pg_advisory_xact_lock($1)', [b]);
          return me;
        });
      expect(await Promise.all([crossing(0), crossing(1)])).toEqual([0, 1]);
      expect(runs.sort()).toEqual([1, 2]);
    } finally {
      await direct.end();
    }
  });
});
