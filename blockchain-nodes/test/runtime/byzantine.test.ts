// Replicas started in a Byzantine mode (REPLICA_BYZANTINE), as real processes on the real
// transport: an equivocating primary (two valid blocks for one height, double votes) and a
// replica whose every signature is garbage. The cluster keeps committing and the honest
// replicas' chains are identical, block for block.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyCommittedBlock, verifyTransactionProof } from '../../src/chain/verify';
import { closedLoop, startTestCluster, type TestCluster } from './support';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.destroy();
  cluster = undefined;
});

async function commitsUnderLoad(c: TestCluster, honest: number[], count: number) {
  const load = closedLoop(c, { workers: 12 });
  try {
    await load.more(count, 45_000);
  } finally {
    await load.stop();
  }
  expect(load.failures).toEqual([]);
  const top = Math.max(...load.finals.map((f) => f.height));
  const chain = await c.converged(honest, top);
  const byHeight = new Map(chain.map((b) => [b.height, b.hash]));
  for (const f of load.finals) expect(byHeight.get(f.height)).toBe(f.blockHash);
  return { top, finals: load.finals.length };
}

describe('Byzantine replicas', () => {
  it('an equivocating primary: it sends different blocks for one height and votes for both; the honest three move on and agree', async () => {
    cluster = await startTestCluster({ replicaEnv: { 0: { REPLICA_BYZANTINE: 'equivocator' } } });
    const { top, finals } = await commitsUnderLoad(cluster, [1, 2, 3], 200);
    const statuses = await Promise.all([0, 1, 2, 3].map(async (id) => (await cluster!.api(id, 'GET', '/status')).body));
    console.log(`[byzantine] equivocating primary: ${finals} final at height ${top}; views ${statuses.map((s) => s.view).join(', ')}; faults ${JSON.stringify(statuses[0].byzantine?.faults)}`);
    expect(statuses[0].byzantine.mode).toBe('equivocator');
    expect(statuses[0].byzantine.faults.equivocation ?? 0).toBeGreaterThan(0);
    for (const s of statuses.slice(1)) expect(s.view).toBeGreaterThanOrEqual(1);
  });

  it('a replica that signs garbage: its votes never count, the others commit and agree', async () => {
    cluster = await startTestCluster({ replicaEnv: { 2: { REPLICA_BYZANTINE: 'garbage' } } });
    await commitsUnderLoad(cluster, [0, 1, 3], 200);
    const s = (await cluster.api(2, 'GET', '/status')).body;
    expect(s.byzantine.faults['bad-signature']).toBeGreaterThan(0);
    // what it serves to a replica catching up is garbage too, and refused: a proof from it does not verify
    const genesis = cluster.files.genesis;
    const honest = (await cluster.api(0, 'GET', '/blocks/1')).body;
    const fromIt = (await cluster.api(2, 'GET', '/blocks/1')).body;
    expect(verifyCommittedBlock(genesis, null, honest.block, honest.certificate)).toEqual({ ok: true });
    expect(fromIt.block).toEqual(honest.block);
    const refused = { ok: false, reason: expect.stringMatching(/^commit signature of replica \d+ does not verify$/) };
    expect(verifyCommittedBlock(genesis, null, fromIt.block, fromIt.certificate)).toEqual(refused);
    const txId = honest.block.transactions[0].id;
    expect(verifyTransactionProof(genesis, (await cluster.api(0, 'GET', `/transactions/${txId}/proof`)).body)).toEqual({ ok: true });
    expect(verifyTransactionProof(genesis, (await cluster.api(2, 'GET', `/transactions/${txId}/proof`)).body)).toEqual(refused);
  });
});
