// Restarting a replica from what it persisted (ReplicaCore.restore), on the pure core with a
// small in-memory network: "what a replica signed is persisted before it is sent, so a restart
// can never make it sign two different things for the same (view, seq)". Each restart drops
// the replica's memory and its undelivered inbound messages, and rebuilds it from its persist
// records only; every signature it ever makes is checked against everything it signed before.
import { describe, expect, it } from 'vitest';
import { createReplica, type PersistRecord, type RecoveredState, type ReplicaCore, type ReplicaState } from '../../src/pbft/replica';
import type { Message } from '../../src/pbft/messages';
import { blockHash, type CommittedBlock } from '../../src/chain/block';
import { verifyChain } from '../../src/chain/verify';
import { cinemaTransaction, testCluster, type TestCluster } from '../../src/sim/fixtures';
import { Random } from '../../src/sim/random';
import { idealScheme } from '../../src/sim/signatures';
import type { Transaction } from '../../src/chain/transaction';

/** What a replica's storage would hand back: the runtime's store builds the same from its tables. */
function recoveredFrom(records: PersistRecord[]): RecoveredState {
  const blocks = records.filter((r): r is Extract<PersistRecord, { kind: 'block' }> => r.kind === 'block').map((r) => r.committed);
  const views = records.filter((r): r is Extract<PersistRecord, { kind: 'view' }> => r.kind === 'view');
  const checkpoints = records.filter((r): r is Extract<PersistRecord, { kind: 'checkpoint' }> => r.kind === 'checkpoint');
  return {
    executed: blocks.map((b) => ({ header: b.block.header, hash: b.certificate.blockHash })),
    committedIds: blocks.flatMap((b) => b.block.transactions.map((tx) => [tx.id, b.block.header.height] as const)),
    stable: checkpoints[checkpoints.length - 1]?.stable,
    view: views[views.length - 1],
    signed: records.filter((r): r is Extract<PersistRecord, { kind: 'signed' }> => r.kind === 'signed').map((r) => r.message),
    prepared: records.filter((r): r is Extract<PersistRecord, { kind: 'prepared' }> => r.kind === 'prepared').map((r) => r.certificate),
  };
}

/** What a signature commits the replica to: two different values under one key is equivocation. */
function commitment(m: Message): [string, string] | undefined {
  switch (m.kind) {
    case 'pre-prepare':
    case 'prepare':
    case 'commit':
      return [`${m.kind} v${m.view} n${m.seq}`, m.digest];
    case 'checkpoint':
      return [`checkpoint n${m.seq}`, m.digest];
    case 'view-change':
    case 'new-view':
      return [`${m.kind} v${m.view}`, m.signature];
    default:
      return undefined;
  }
}

/** What a restart must not lose: the view it is in (or changing to) and the height it executed. */
type Place = { view: number; changing: boolean; executed: number };
const placeOf = (s: ReplicaState): Place => ({ view: s.view, changing: s.changing, executed: s.executed });

class Cluster {
  readonly cores: ReplicaCore[];
  readonly states: ReplicaState[];
  readonly records: PersistRecord[][];
  readonly blocks: CommittedBlock[][];
  readonly signed: Map<string, string>[];
  readonly queue: { at: number; from: number; to: number; message: Message }[] = [];
  readonly rng = new Random(99);
  readonly violations: string[] = [];
  now = 1_700_000_000_000;
  /** Where each restart caught its replica, and where the replica stood once rebuilt from its records. */
  readonly restarts: { id: number; before: Place; after: Place }[] = [];
  /** Messages for which this answers true are lost on the wire. */
  drop?: (from: number, to: number, message: Message) => boolean;
  /** Crashed for good: neither hears nor speaks. */
  readonly down = new Set<number>();

  constructor(readonly tc: TestCluster) {
    const n = tc.genesis.replicas.length;
    this.cores = tc.replicaSigners.map((signer, id) =>
      createReplica({ genesis: tc.chain, id, signer, verify: tc.scheme.verify, timing: { maxBatch: 4, batchDelay: 2, viewChangeTimeout: 300, statusInterval: 50 } }),
    );
    this.states = this.cores.map((c) => c.initialState(this.now));
    this.records = Array.from({ length: n }, () => []);
    this.blocks = Array.from({ length: n }, () => []);
    this.signed = Array.from({ length: n }, () => new Map());
  }

  step(id: number, input: Parameters<ReplicaCore['step']>[1]) {
    if (this.down.has(id)) return;
    const out = this.cores[id].step(this.states[id], input);
    this.records[id].push(...out.persist);
    for (const r of out.persist) {
      if (r.kind === 'block') this.blocks[id].push(r.committed);
      if (r.kind !== 'signed') continue;
      const c = commitment(r.message);
      if (!c) continue;
      const before = this.signed[id].get(c[0]);
      if (before !== undefined && before !== c[1]) this.violations.push(`replica ${id} signed two different ${c[0]}`);
      this.signed[id].set(c[0], c[1]);
    }
    if (out.halted) this.violations.push(`replica ${id} halted: ${out.halted}`);
    for (const { to, message } of out.send) {
      // 1–30 ms on the wire, so restarts land between a proposal and its votes
      for (let k = 0; k < this.cores.length; k++) {
        if (k === id || (to !== 'all' && to !== k) || this.drop?.(id, k, message)) continue;
        this.queue.push({ at: this.now + this.rng.int(1, 30), from: id, to: k, message });
      }
    }
    if (out.catchUp) {
      const peer = out.catchUp.peers[0];
      if (peer !== undefined) for (const b of this.blocks[peer].slice(out.catchUp.fromHeight - 1, out.catchUp.fromHeight + 15)) this.step(id, { kind: 'committed-block', from: peer, ...b });
    }
  }

  submit(tx: Transaction) {
    for (let id = 0; id < this.cores.length; id++) this.step(id, { kind: 'request', transaction: tx });
  }

  run(ms: number) {
    for (const end = this.now + ms; this.now < end; ) {
      this.now += 1;
      for (let id = 0; id < this.cores.length; id++) this.step(id, { kind: 'tick', now: this.now });
      const due = this.queue.filter((m) => m.at <= this.now);
      if (due.length === 0) continue;
      const later = this.queue.filter((m) => m.at > this.now);
      this.queue.length = 0;
      this.queue.push(...later);
      for (const { from, to, message } of due) this.step(to, { kind: 'message', from, message });
    }
  }

  /** Crash and come back: memory and undelivered inbound messages are lost; storage is not. */
  restart(id: number) {
    const before = placeOf(this.states[id]);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].to === id) this.queue.splice(i, 1);
    this.states[id] = this.cores[id].restore(recoveredFrom(this.records[id]), this.now);
    this.restarts.push({ id, before, after: placeOf(this.states[id]) });
  }

  /** Runs until `done` holds, for at most `ms`; says whether it came to hold. */
  runUntil(done: () => boolean, ms: number): boolean {
    for (let t = 0; t < ms && !done(); t++) this.run(1);
    return done();
  }

  heights = () => this.states.map((s) => s.executed);
}

function load(c: Cluster, rng: Random, count: number, restartAt: Map<number, number[]>) {
  const txs: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    const tx = cinemaTransaction(c.tc.ledger, rng);
    txs.push(tx);
    c.submit(tx);
    c.run(rng.int(1, 8));
    for (const id of restartAt.get(i) ?? []) c.restart(id);
  }
  return txs;
}

function expectSafeAndComplete(c: Cluster, txs: Transaction[]) {
  // Pending requests live in memory: a client resubmits what is not final (every replica restarted loses them).
  for (const tx of txs) c.submit(tx);
  c.run(3_000);
  expect(c.violations).toEqual([]);
  // every replica came back where it was: same view (or view change), same height
  expect(c.restarts.filter((r) => JSON.stringify(r.after) !== JSON.stringify(r.before))).toEqual([]);
  const top = Math.max(...c.heights());
  expect(c.heights()).toEqual(c.heights().map(() => top));
  const reference = c.blocks.reduce((a, b) => (b.length > a.length ? b : a));
  for (let id = 0; id < c.blocks.length; id++) {
    expect(c.blocks[id].map((b) => blockHash(b.block.header)), `replica ${id}`).toEqual(reference.map((b) => blockHash(b.block.header)));
  }
  expect(verifyChain(c.tc.chain, reference, c.tc.scheme.verify)).toMatchObject({ ok: true });
  const committed = reference.flatMap((b) => b.block.transactions.map((tx) => tx.id));
  expect(new Set(committed).size).toBe(committed.length);
  expect(new Set(committed)).toEqual(new Set(txs.map((t) => t.id)));
}

describe('restarting replicas from their persist records', () => {
  it('prepared certificates outlive a restart: every replica restarted after a quorum signed COMMIT but before any executed, the next view keeps that block', () => {
    const c = new Cluster(testCluster(4, idealScheme(), { checkpointInterval: 4, watermarkWindow: 16 }));
    const rng = new Random(21);
    // the COMMITs are signed (and persisted) but lost on the wire: nobody executes block 1
    c.drop = (_from, _to, m) => m.kind === 'commit';
    c.submit(cinemaTransaction(c.tc.ledger, rng));
    c.run(200);
    expect(c.heights()).toEqual([0, 0, 0, 0]);
    const commits = c.records.map((records) => records.find((r) => r.kind === 'signed' && r.message.kind === 'commit' && r.message.seq === 1));
    const digests = commits.map((r) => (r?.kind === 'signed' && r.message.kind === 'commit' ? r.message.digest : undefined));
    // 2f+1 signed COMMITs for one block at height 1: whoever holds them holds its commit certificate
    const certified = digests.find((d) => d !== undefined && digests.filter((x) => x === d).length >= c.tc.chain.quorum);
    expect(certified).toBeDefined();
    // everybody restarts; the old primary stays down, so a view change decides height 1
    c.drop = undefined;
    for (const id of [0, 1, 2, 3]) c.restart(id);
    c.down.add(0);
    const later = cinemaTransaction(c.tc.ledger, rng);
    for (const id of [1, 2, 3]) c.step(id, { kind: 'request', transaction: later });
    c.run(5_000);
    expect(c.violations).toEqual([]);
    for (const id of [1, 2, 3]) {
      expect(c.states[id].view, `replica ${id}`).toBeGreaterThanOrEqual(1);
      expect(c.blocks[id].length, `replica ${id}`).toBeGreaterThanOrEqual(1);
      expect(blockHash(c.blocks[id][0].block.header), `replica ${id}: height 1 is the certified block`).toBe(certified);
    }
  });

  it('a backup restarted again and again under load: never contradicts itself, ends with the same chain', () => {
    const c = new Cluster(testCluster(4, idealScheme(), { checkpointInterval: 4, watermarkWindow: 16 }));
    const rng = new Random(11);
    const txs = load(c, rng, 120, new Map([[10, [2]], [35, [2]], [36, [2]], [70, [2]], [100, [2]]]));
    c.run(3_000);
    expectSafeAndComplete(c, txs);
  });

  it('the primary restarted mid-proposal: it does not propose anything else at a height it used', () => {
    const c = new Cluster(testCluster(4, idealScheme(), { checkpointInterval: 4, watermarkWindow: 16 }));
    const rng = new Random(12);
    const txs = load(c, rng, 120, new Map([[5, [0]], [20, [0]], [21, [0]], [60, [0]]]));
    c.run(5_000);
    expectSafeAndComplete(c, txs);
  });

  it('every replica restarted at once, several times, also during view changes: no fork, nothing lost', () => {
    const c = new Cluster(testCluster(4, idealScheme(), { checkpointInterval: 4, watermarkWindow: 16 }));
    const rng = new Random(13);
    const all = [0, 1, 2, 3];
    const txs = load(c, rng, 60, new Map([[15, all], [40, all], [41, [0]]]));
    // the primary goes quiet: once every backup has timed out and asked for the next view, all
    // four restart in the middle of that view change, and again a little later
    const quiet = c.states[1].view % 4;
    const backups = all.filter((id) => id !== quiet);
    c.drop = (from) => from === quiet;
    txs.push(...load(c, rng, 5, new Map()));
    expect(c.runUntil(() => backups.every((id) => c.states[id].changing), 5_000), 'the backups change view').toBe(true);
    for (const id of all) c.restart(id);
    c.run(20);
    for (const id of all) c.restart(id);
    c.drop = undefined;
    txs.push(...load(c, rng, 85, new Map([[20, all], [21, all], [60, [0, 1]]])));
    c.run(8_000);
    expectSafeAndComplete(c, txs);
    // the restarts did catch replicas in the middle of a view change
    const duringViewChange = c.restarts.filter((r) => r.before.changing);
    expect(duringViewChange.length, JSON.stringify(c.restarts)).toBeGreaterThanOrEqual(backups.length);
  });

  it('n = 7: two replicas restarted repeatedly while the rest commit', () => {
    const c = new Cluster(testCluster(7, idealScheme(), { checkpointInterval: 4, watermarkWindow: 16 }));
    const rng = new Random(14);
    const txs = load(c, rng, 100, new Map([[10, [0, 3]], [30, [0]], [50, [3, 6]], [70, [1, 2]]]));
    c.run(8_000);
    expectSafeAndComplete(c, txs);
  });
});
