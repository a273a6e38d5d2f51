// n = 7 (f = 2) with two faulty replicas: the primary of view 0 equivocates and the primary of
// view 1 is down, so the cluster needs two view changes before it commits in view 2. It does,
// and the five honest chains are identical.
import { afterAll, describe, expect, it } from 'vitest';
import { closedLoop, startTestCluster, type TestCluster } from './support';

let cluster: TestCluster | undefined;
afterAll(async () => {
  await cluster?.destroy();
});

describe('n = 7 with 2 faulty replicas', () => {
  it('still commits; the honest replicas agree block for block', async () => {
    cluster = await startTestCluster({ n: 7, skip: [1], replicaEnv: { 0: { REPLICA_BYZANTINE: 'equivocator' } } });
    const load = closedLoop(cluster, { workers: 12 });
    try {
      await load.more(150, 60_000);
    } finally {
      await load.stop();
    }
    expect(load.failures).toEqual([]);
    const honest = [2, 3, 4, 5, 6];
    const top = Math.max(...load.finals.map((f) => f.height));
    const chain = await cluster.converged(honest, top);
    const byHeight = new Map(chain.map((b) => [b.height, b.hash]));
    for (const f of load.finals) expect(byHeight.get(f.height)).toBe(f.blockHash);
    const views = await Promise.all(honest.map(async (id) => (await cluster!.api(id, 'GET', '/status')).body.view));
    console.log(`[n=7] ${load.finals.length} final at height ${top}; honest replicas in views ${views.join(', ')}`);
    for (const v of views) expect(v % 7).not.toBe(0);
    for (const v of views) expect(v % 7).not.toBe(1);
  });
});
