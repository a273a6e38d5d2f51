// Catch-up: a replica that was down while the others committed 1,000 blocks comes back, learns
// from its peers' status and checkpoints that it is behind, fetches the blocks with their
// certificates page by page, verifies each against genesis before appending it, and rejoins —
// its chain identical to the others'. CATCH_UP_BLOCKS scales the gap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedLoop, startTestCluster, type TestCluster } from './support';

const GAP = Number(process.env.CATCH_UP_BLOCKS ?? 1_000);

let cluster: TestCluster;
beforeAll(async () => {
  // one transaction per block, so a gap of GAP blocks costs GAP transactions
  cluster = await startTestCluster({ env: { REPLICA_MAX_BATCH: '1', REPLICA_MAX_IN_FLIGHT: '8' } });
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('catch-up', () => {
  it(`a replica that missed ${GAP} blocks fetches, verifies and appends them, then takes part again`, async () => {
    const load = closedLoop(cluster, { workers: 24 });
    await load.more(20);
    await cluster.kill(3, 'SIGKILL');
    const behindAt = (await cluster.chain(3)).length;
    const started = Date.now();
    try {
      while ((await cluster.chain(0)).length < behindAt + GAP) await load.more(50, 60_000);
    } finally {
      await load.stop();
    }
    const committedIn = Date.now() - started;
    const target = (await cluster.chain(0)).length;
    expect(load.failures).toEqual([]);

    const restartedAt = Date.now();
    await cluster.start(3);
    await cluster.converged([0, 1, 2, 3], target, 60_000);
    const caughtUpIn = Date.now() - restartedAt;
    const s = (await cluster.api(3, 'GET', '/status')).body;
    console.log(`[catch-up] ${target - behindAt} blocks committed without replica 3 in ${committedIn} ms; it caught up in ${caughtUpIn} ms (restart included), fetched ${s.stats.caughtUp}`);
    expect(s.stats.caughtUp).toBeGreaterThanOrEqual(GAP);

    // and it is a full member again: with replica 2 down, commits need replica 3's votes
    await cluster.kill(2, 'SIGKILL');
    const tx = cluster.tx({ after: 'catch-up' });
    const receipt = await cluster.client.submitAndAwaitFinal(tx, { timeoutMs: 20_000 });
    expect(receipt.height).toBeGreaterThan(target);
    await cluster.converged([0, 1, 3], receipt.height);
  }, 180_000); // 1,000 blocks committed, then fetched: about 25 s on a quiet machine, much longer on a busy one
});
