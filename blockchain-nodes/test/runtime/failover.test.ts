// The primary killed under load (kill -9, no goodbye): the backups change view, every
// transaction the client was told is final stays where it was told, no fork; restarted, the old
// primary rebuilds itself from its database, catches up, joins the new view, and the four
// chains are identical and verify against genesis.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseBlockSource, verifySource } from '../../src/runtime/verify';
import { closedLoop, startTestCluster, type TestCluster } from './support';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  await cluster?.destroy();
});

const status = async (id: number) => (await cluster.api(id, 'GET', '/status')).body;

describe('primary crash under load', () => {
  it('a view change happens, nothing committed is lost, no fork; restarted, the primary catches up and the four chains are identical', async () => {
    const load = closedLoop(cluster, { workers: 16 });
    try {
      await load.more(150);
      expect((await status(1)).primary).toBe(0);
      const finalBeforeCrash = load.finals.length;
      await cluster.kill(0, 'SIGKILL');
      const killedAt = Date.now();
      await load.more(150, 30_000);
      const recoveredAfterMs = Date.now() - killedAt;
      const views = await Promise.all([1, 2, 3].map(status));
      for (const s of views) {
        expect(s.view).toBeGreaterThanOrEqual(1);
        expect(s.changing).toBe(false);
      }
      // the old primary comes back while the load goes on
      await cluster.start(0);
      await load.more(150, 30_000);
      console.log(`[failover] ${finalBeforeCrash} final before the crash; 150 more final ${recoveredAfterMs} ms after it, in view ${views[0].view}`);
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    const top = Math.max(...load.finals.map((f) => f.height));
    const chain = await cluster.converged([0, 1, 2, 3], top);
    // every receipt the client got names the block that is on every chain
    const byHeight = new Map(chain.map((b) => [b.height, b.hash]));
    for (const f of load.finals) expect(byHeight.get(f.height), f.id).toBe(f.blockHash);
    const ids = (await cluster.pool(2).query(`SELECT id, height FROM block_transactions`)).rows;
    const where = new Map(ids.map((r) => [r.id, Number(r.height)]));
    for (const f of load.finals) expect(where.get(f.id), f.id).toBe(f.height);
    // each database, read directly, verifies against genesis
    for (const id of [0, 1, 2, 3]) {
      const source = databaseBlockSource(cluster.databaseUrls[id]);
      const report = await verifySource(cluster.files.genesis, source).finally(() => source.close());
      expect(report.verdict, `replica ${id}`).toMatchObject({ ok: true });
      expect(report.transactions).toBeGreaterThanOrEqual(load.finals.length);
    }
    // the restarted replica joins the view the others are in (on a loaded machine it may be
    // a view or two behind for a moment, as a live backup may be)
    const back = await vi.waitFor(async () => {
      const [mine, theirs] = await Promise.all([status(0), status(1)]);
      expect(mine.view).toBe(theirs.view);
      return mine;
    }, { timeout: 10_000, interval: 200 });
    expect(back.stats.caughtUp).toBeGreaterThan(0);
  });
});
