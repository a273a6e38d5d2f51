// Partitions between real replica processes: every peer link (i → j, streams and catch-up
// alike) runs through its own TCP proxy, and a partition cuts the proxies between the groups —
// every connection dropped, new ones refused — while clients still reach every replica. A side
// without 2f+1 replicas must commit nothing; the side with them goes on (changing view if the
// primary is cut off); once healed, the cut-off replicas catch up and take part again, and
// every chain is the same chain.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../test/support/tcp-proxy';
import { freePorts } from '../../../test/support/ports';
import { databaseBlockSource, verifySource } from '../../src/runtime/verify';
import { closedLoop, sleep, startTestCluster, type TestCluster } from './support';
import { eventually } from '../../../test/support/wait';

const ALL = [0, 1, 2, 3];
// Each test starts from a cluster of its own (view 0, replica 0 primary), so that none depends on
// where the one before it left the views and the chains.
let cluster: TestCluster;
/** links[i][j]: the proxy replica i reaches replica j through. */
let links: TcpProxy[][];

beforeEach(async () => {
  // the replicas' ports and the twelve proxies' taken together, so that no proxy is given a replica's port
  const picked = await freePorts(ALL.length + ALL.length * ALL.length); // four replicas, a proxy per ordered pair (the diagonal unused)
  const ports = picked.slice(0, ALL.length);
  const proxyPort = (i: number, j: number) => picked[ALL.length + i * ALL.length + j];
  links = await Promise.all(ALL.map((i) => Promise.all(ALL.map((j) => (i === j ? (undefined as unknown as TcpProxy) : TcpProxy.start({ host: '127.0.0.1', port: ports[j] }, proxyPort(i, j)))))));
  const peersOf = (i: number) => ALL.map((j) => `http://127.0.0.1:${i === j ? ports[j] : links[i][j].port}`).join(',');
  cluster = await startTestCluster({ ports, replicaEnv: Object.fromEntries(ALL.map((i) => [i, { REPLICA_PEERS: peersOf(i) }])) });
});
afterEach(async () => {
  await cluster?.destroy();
  await Promise.all((links ?? []).flat().map((p) => p?.down()));
});

/** Cuts every link between replicas of different groups. */
async function partition(...groups: number[][]) {
  const side = new Map(groups.flatMap((g, k) => g.map((id) => [id, k] as const)));
  await Promise.all(ALL.flatMap((i) => ALL.filter((j) => i !== j && side.get(i) !== side.get(j)).map((j) => links[i][j].down())));
}
const heal = () => Promise.all(links.flat().map((p) => p?.up()));

const status = async (id: number) => (await cluster.api(id, 'GET', '/status')).body;

/** Waits until replica `id` reports the transaction committed — without the client sending it anywhere again. */
async function committedOn(id: number, transactionId: string, timeoutMs = 30_000): Promise<{ height: number; blockHash: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await cluster.api(id, 'GET', `/transactions/${transactionId}?wait=2000`);
    if (r.status === 200) return r.body;
    if (Date.now() > deadline) throw new Error(`transaction ${transactionId} not committed on replica ${id} within ${timeoutMs} ms: ${JSON.stringify(r.body)}`);
  }
}
const height = async (id: number) => (await cluster.chain(id)).length;

/** Waits until the replicas report the same view, none of them changing view. */
async function sameView(ids: number[], timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await Promise.all(ids.map(status));
    if (views.every((s) => !s.changing && s.view === views[0].view)) return views[0].view;
    if (Date.now() > deadline) throw new Error(`replicas ${ids.join(', ')} not in one view: ${views.map((s) => `${s.view}${s.changing ? ' (changing)' : ''}`).join(', ')}`);
    await sleep(100);
  }
}

/** All four chains identical (at least `minHeight` blocks), each verified from its database, and every receipt naming the block at its height. */
async function expectOneVerifiedChain(minHeight: number, receipts: { height: number; blockHash: string }[]) {
  const chain = await cluster.converged(ALL, minHeight, 60_000);
  for (const id of ALL) {
    const source = databaseBlockSource(cluster.databaseUrls[id]);
    const report = await verifySource(cluster.files.genesis, source).finally(() => source.close());
    expect(report.verdict, `replica ${id}`).toMatchObject({ ok: true });
  }
  const byHeight = new Map(chain.map((b) => [b.height, b.hash]));
  for (const r of receipts) expect(byHeight.get(r.height), `the block at ${r.height}`).toBe(r.blockHash);
  return chain;
}

describe('network partitions', () => {
  it('a backup cut off commits nothing alone; healed, it catches up and is a full member again', async () => {
    const load = closedLoop(cluster, { workers: 8 });
    let lone: string;
    let heightAtCut: number;
    try {
      await load.more(30);
      const primary = 0;
      expect((await status(0)).primary).toBe(primary);
      const backup = 1;
      const others = ALL.filter((id) => id !== backup);
      await partition([backup], others);
      // the highest block anyone had reached when the cut came: with one block in flight, the
      // lone replica can at most finish the next, whose votes were already on the wire
      heightAtCut = Math.max(...(await Promise.all(ALL.map(height))));
      // a transaction only the cut-off replica hears of: it can forward it nowhere
      const tx = cluster.tx({ only: 'the cut-off replica' });
      lone = tx.id;
      expect((await cluster.api(backup, 'POST', '/transactions', tx)).status).toBeLessThan(300);
      await load.more(150, 30_000);
      expect(Math.min(...(await Promise.all(others.map(height)))), 'the others went on').toBeGreaterThan(heightAtCut + 1);
      expect(await height(backup), 'a lone replica never commits').toBeLessThanOrEqual(heightAtCut + 1);
      expect((await cluster.api(backup, 'GET', `/transactions/${lone}`)).body.status).toBe('pending');

      await heal();
      await load.more(50, 30_000);
      await load.stop();
      const healedHeight = Math.max(...load.finals.map((f) => f.height));
      await cluster.converged(ALL, healedHeight, 30_000);
      // Full member: with another backup down, commits need the healed replica's votes. (Alone it
      // may have asked for a view change nobody joined; PBFT keeps it waiting in that view until
      // this outage makes the others follow it there.)
      const other = ALL.find((id) => id !== backup && id !== primary)!;
      await cluster.kill(other, 'SIGKILL');
      const after = await cluster.client.submitAndAwaitFinal(cluster.tx({ after: 'heal' }), { timeoutMs: 30_000 });
      expect(after.height).toBeGreaterThan(healedHeight);
      // and the transaction only it had heard of reaches the others, without the client sending it again, and commits once
      const receipt = await committedOn(primary, lone);
      await cluster.start(other);
      const chain = await expectOneVerifiedChain(Math.max(after.height, receipt.height), [...load.finals, after, receipt]);
      const copies = await cluster.pool(backup).query(`SELECT height FROM block_transactions WHERE id = $1`, [lone]);
      expect(copies.rows.map((r) => Number(r.height))).toEqual([receipt.height]);
      console.log(`[partition] backup ${backup} cut off at height ${heightAtCut} while the others went on; healed, it caught up to ${healedHeight}; its lone transaction final at ${receipt.height}; one chain of ${chain.length} blocks`);
    } finally {
      await load.stop();
      await heal();
    }
    expect(load.failures).toEqual([]);
  });

  it('the primary cut off: the rest change view and go on, the old primary commits nothing alone and follows once healed', async () => {
    const before = await status(0);
    const oldPrimary = before.primary as number;
    const rest = ALL.filter((id) => id !== oldPrimary);
    const load = closedLoop(cluster, { workers: 8 });
    try {
      await load.more(20);
      await partition([oldPrimary], rest);
      // (as above: the lone primary can at most finish the one block whose votes were on the wire)
      const heightAtCut = Math.max(...(await Promise.all(ALL.map(height))));
      const cutAt = Date.now();
      await load.more(100, 30_000);
      const wentOnIn = Date.now() - cutAt;
      const views = await Promise.all(rest.map(status));
      for (const s of views) expect(s.view).toBeGreaterThan(before.view);
      expect(views[0].primary).not.toBe(oldPrimary);
      expect(Math.min(...(await Promise.all(rest.map(height)))), 'the rest went on').toBeGreaterThan(heightAtCut + 1);
      expect(await height(oldPrimary), 'a lone primary never commits').toBeLessThanOrEqual(heightAtCut + 1);

      await heal();
      const view = await sameView(ALL);
      await load.more(50, 30_000);
      await load.stop();
      const top = Math.max(...load.finals.map((f) => f.height));
      const chain = await expectOneVerifiedChain(top, load.finals);
      console.log(`[partition] primary ${oldPrimary} cut off at height ${heightAtCut}; 100 more final ${wentOnIn} ms later without it; healed, all four in view ${view}, ${chain.length} blocks`);
    } finally {
      await load.stop();
      await heal();
    }
    expect(load.failures).toEqual([]);
  });

  it('split two and two: neither side commits, no fork; healed, the cluster commits again', async () => {
    // a few blocks first, then an idle cluster (nothing in flight) is split
    const first = await Promise.all(Array.from({ length: 5 }, () => cluster.client.submitAndAwaitFinal(cluster.tx(), { timeoutMs: 30_000 })));
    const startHeight = Math.max(...first.map((r) => r.height));
    await cluster.converged(ALL, startHeight, 30_000);
    const startView = (await status(0)).view as number;
    await partition([0, 1], [2, 3]);
    const heights = await Promise.all(ALL.map(height));
    // both sides hear of transactions, and both try in vain: on each side the replica that holds
    // one waits for it to commit until its timer runs out, then asks for a new view no side can form
    const stuck = [cluster.tx({ side: 'a' }), cluster.tx({ side: 'b' })];
    await Promise.all([cluster.api(0, 'POST', '/transactions', stuck[0]), cluster.api(3, 'POST', '/transactions', stuck[1])]);
    await eventually(async () => ((await Promise.all([0, 3].map(status))).every((s) => s.changing && s.view > startView) ? true : undefined), 30_000, 'both sides to give up on their view');
    expect(await Promise.all(ALL.map(height)), 'no side has a quorum').toEqual(heights);
    for (const id of ALL) for (const tx of stuck) expect((await cluster.api(id, 'GET', `/transactions/${tx.id}`)).body.status, `replica ${id}`).not.toBe('committed');

    await heal();
    const receipts = await Promise.all(stuck.map((tx) => committedOn(1, tx.id, 60_000)));
    const fresh = await cluster.client.submitAndAwaitFinal(cluster.tx({ after: 'split' }), { timeoutMs: 30_000 });
    const chain = await expectOneVerifiedChain(fresh.height, [...receipts, fresh]);
    expect(fresh.height).toBeGreaterThan(startHeight);
    console.log(`[partition] 2|2 split held every chain at ${heights.join('/')}; healed, both transactions and a new one final, ${chain.length} blocks`);
  });
});
