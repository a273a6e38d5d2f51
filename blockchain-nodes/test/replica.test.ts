import { describe, expect, it } from 'vitest';
import { blockHash, makeBlock, type CommittedBlock } from '../src/chain/block';
import { signCheckpoint, signPrePrepare, signViewChange, signVote, type Message } from '../src/pbft/messages';
import { createReplica, type Input, type ReplicaCore, type ReplicaState, type StepOutput } from '../src/pbft/replica';
import { genesisCheckpoint } from '../src/pbft/view-change';
import { cinemaTransaction, testCluster } from '../src/sim/fixtures';
import { scriptedPolicy } from '../src/sim/network';
import { Random } from '../src/sim/random';
import { secp256k1Scheme } from '../src/sim/signatures';
import { Simulation } from '../src/sim/simulation';

// The replica core stepped by hand. Sentences quoted are from Castro & Liskov, "Practical
// Byzantine Fault Tolerance" (OSDI '99), or from the design notes this core was built to.

const K = 4;
const L = 8;
const cluster = testCluster(4, secp256k1Scheme(), { checkpointInterval: K, watermarkWindow: L });
const { chain, replicaSigners, ledger } = cluster;
const T0 = chain.genesis.createdAt;
const timing = { viewChangeTimeout: 1_000, statusInterval: 100, batchDelay: 5, maxBatch: 4 };
const core = (id: number): ReplicaCore => createReplica({ genesis: chain, id, signer: replicaSigners[id], verify: cluster.scheme.verify, timing });
const rng = new Random(11);
const tx = () => cinemaTransaction(ledger, rng);

/** Four replicas on a perfect network: every message is delivered, in order, until none is left. */
class Cluster {
  cores = [0, 1, 2, 3].map(core);
  states: ReplicaState[] = this.cores.map((c) => c.initialState(T0));
  outputs: { id: number; input: Input; out: StepOutput }[] = [];
  private queue: [number, Input][] = [];
  drop: (to: number, message: Message) => boolean = () => false;

  step(id: number, input: Input): StepOutput {
    const out = this.cores[id].step(this.states[id], input);
    this.states[id] = out.state;
    this.outputs.push({ id, input, out });
    for (const { to, message } of out.send)
      for (const dest of to === 'all' ? [0, 1, 2, 3].filter((r) => r !== id) : [to]) if (!this.drop(dest, message)) this.queue.push([dest, { kind: 'message', from: id, message }]);
    return out;
  }

  deliver(): void {
    for (let guard = 0; this.queue.length && guard < 100_000; guard++) {
      const [to, input] = this.queue.shift()!;
      this.step(to, input);
    }
  }

  tick(now: number): void {
    for (const id of [0, 1, 2, 3]) this.step(id, { kind: 'tick', now });
    this.deliver();
  }

  submit(...transactions: ReturnType<typeof tx>[]): void {
    for (const t of transactions) for (const id of [0, 1, 2, 3]) this.step(id, { kind: 'request', transaction: t });
    this.deliver();
  }
}

describe('normal case (§4.2)', () => {
  it('"a backup accepts a pre-prepare provided the signatures are correct, it is in view v, it has not accepted a pre-prepare for v and n with a different digest, and n is between h and H"', () => {
    const backup = core(1);
    const state = backup.initialState(T0);
    const block = (height: number, view = 0, proposer = 0) =>
      makeBlock({ height, parentHash: chain.genesisHash, view, proposer, timestamp: T0 }, [tx()]);
    const pp = (b: ReturnType<typeof block>, opts: { view?: number; seq?: number; from?: number; signer?: number; digest?: string } = {}) =>
      signPrePrepare(chain, replicaSigners[opts.signer ?? opts.from ?? 0], opts.from ?? 0, opts.view ?? 0, opts.seq ?? b.header.height, opts.digest ?? blockHash(b.header), b);
    const send = (message: Message) => backup.step(state, { kind: 'message', from: 0, message });
    const reason = (out: StepOutput) => out.rejected.map((r) => r.reason).join('; ');

    expect(reason(send(pp(block(1, 1, 1), { view: 1, from: 1 })))).toBe('from later view 1');
    expect(reason(send(pp(block(1), { from: 2 })))).toBe('not from the primary of the view');
    expect(reason(send(pp(block(L + 1), { seq: L + 1 })))).toBe(`sequence number ${L + 1} outside the watermarks`);
    expect(reason(send(pp(block(1), { digest: chain.genesisHash })))).toBe('digest is not the block hash');
    expect(reason(send(pp(block(1), { signer: 2 })))).toBe('signature does not verify');

    const accepted = send(pp(block(1)));
    expect(accepted.rejected).toEqual([]);
    const prepare = accepted.send.find((s) => s.message.kind === 'prepare');
    expect(prepare?.message).toMatchObject({ kind: 'prepare', view: 0, seq: 1, from: 1 });

    expect(reason(send(pp(block(1))))).toBe('conflicts with the pre-prepare already accepted: the primary equivocated');
  });

  it('"what a replica signed is persisted before it is sent": nothing it signed leaves before a step listed it to persist', () => {
    const c = new Cluster();
    // Replica 3 loses the first round of COMMITs, so the others must resend theirs.
    let lost = 0;
    c.drop = (to, m) => to === 3 && m.kind === 'commit' && lost++ < 3;
    c.submit(tx(), tx(), tx());
    c.tick(T0 + 10);
    c.tick(T0 + 200);
    expect(c.states.map((s) => s.executed)).toEqual([1, 1, 1, 1]);
    const persisted = [0, 1, 2, 3].map(() => new Set<Message>());
    let ownSends = 0;
    for (const { id, out } of c.outputs) {
      for (const p of out.persist) if (p.kind === 'signed') persisted[id].add(p.message);
      for (const { message } of out.send) {
        if (message.kind === 'status' || message.kind === 'request' || message.from !== id) continue;
        ownSends++;
        expect(persisted[id].has(message), `${message.kind} by ${id}`).toBe(true);
      }
    }
    expect(ownSends).toBeGreaterThan(10);
  });

  it('is deterministic: the same inputs from the same state give the same outputs, byte for byte', () => {
    const transactions = [tx(), tx(), tx(), tx(), tx()];
    const run = () => {
      const c = new Cluster();
      c.submit(...transactions);
      c.tick(T0 + 10);
      c.tick(T0 + 20);
      return JSON.stringify(c.outputs.map(({ id, out }) => ({ id, send: out.send, persist: out.persist, committed: out.committed, rejected: out.rejected })));
    };
    expect(run()).toBe(run());
  });

  it('deduplicates by transaction id: a resubmission is recognised, pending or committed, and another body under the same id is refused', () => {
    const c = new Cluster();
    const booking = tx();
    c.submit(booking);
    const pendingAgain = c.step(2, { kind: 'request', transaction: booking });
    expect(pendingAgain.rejected).toEqual([{ from: 'client', kind: 'request', reason: 'duplicate: already pending' }]);
    const sameIdOtherBody = cinemaTransaction(ledger, rng, { id: booking.id });
    expect(c.step(2, { kind: 'request', transaction: sameIdOtherBody }).rejected[0].reason).toBe('another transaction with this id is pending');
    c.tick(T0 + 10);
    expect(c.step(2, { kind: 'request', transaction: booking }).rejected[0].reason).toBe('duplicate: already committed at height 1');
    expect(c.states[2].committedIds.get(booking.id)).toBe(1);
  });

  it('batches pending requests into blocks of at most maxBatch, in arrival order', () => {
    const c = new Cluster();
    const transactions = Array.from({ length: 10 }, tx);
    c.submit(...transactions);
    c.tick(T0 + 10);
    const blocks = c.outputs.filter((o) => o.id === 0).flatMap((o) => o.out.committed);
    expect(blocks.map((b) => b.block.transactions.length)).toEqual([4, 4, 2]);
    expect(blocks.flatMap((b) => b.block.transactions.map((t) => t.id))).toEqual(transactions.map((t) => t.id));
  });
});

describe('which vote signatures are checked', () => {
  class CountingCluster extends Cluster {
    /** Signature checks made by each replica, by what was signed ("prepare", "commit"…). */
    checks = [0, 1, 2, 3].map(() => ({}) as Record<string, number>);
    constructor() {
      super();
      this.cores = [0, 1, 2, 3].map((id) =>
        createReplica({
          genesis: chain,
          id,
          signer: replicaSigners[id],
          timing,
          verify: (publicKey, message, signature) => {
            const purpose = new TextDecoder().decode(message.subarray(0, 48)).split('\n')[0].split(' ')[1];
            this.checks[id][purpose] = (this.checks[id][purpose] ?? 0) + 1;
            return cluster.scheme.verify(publicKey, message, signature);
          },
        }),
      );
    }
  }

  it('a quorum checks only the votes it needs: the primary 2f PREPAREs, a backup 2f−1 besides its own, everyone 2f COMMITs besides its own', () => {
    const c = new CountingCluster();
    c.submit(tx());
    c.tick(T0 + 10);
    expect(c.states.map((s) => s.executed)).toEqual([1, 1, 1, 1]);
    const f = chain.f;
    expect(c.checks.map((k) => [k['prepare'] ?? 0, k['commit'] ?? 0])).toEqual([
      [2 * f, 2 * f],
      [2 * f - 1, 2 * f],
      [2 * f - 1, 2 * f],
      [2 * f - 1, 2 * f],
    ]);
    // the surplus votes are held, never checked, and the certificate holds only checked ones
    const certificate = c.outputs.find((o) => o.id === 1 && o.out.committed.length)!.out.committed[0].certificate;
    expect(certificate.commits).toHaveLength(chain.quorum);
  });

  it('a vote that fails its check when a quorum needs it is refused, with the reason, and the quorum forms from another', () => {
    const backup = core(1);
    const state = backup.initialState(T0);
    const block = makeBlock({ height: 1, parentHash: chain.genesisHash, view: 0, proposer: 0, timestamp: T0 }, [tx()]);
    const digest = blockHash(block.header);
    const fields = (from: number) => ({ view: 0, seq: 1, digest, from });
    backup.step(state, { kind: 'message', from: 0, message: signPrePrepare(chain, replicaSigners[0], 0, 0, 1, digest, block) });
    // replica 2 sends its own PREPARE, signed by another key: held, then checked once it would complete the quorum
    const forged = signVote(chain, replicaSigners[3], 'prepare', fields(2));
    const out = backup.step(state, { kind: 'message', from: 2, message: forged });
    expect(out.rejected).toEqual([{ from: 2, kind: 'prepare', reason: 'signature does not verify' }]);
    expect(state.slots.get(1)?.prepared).toBe(false);
    const good = backup.step(state, { kind: 'message', from: 3, message: signVote(chain, replicaSigners[3], 'prepare', fields(3)) });
    expect(good.rejected).toEqual([]);
    expect(state.slots.get(1)?.prepared).toBe(true);
    expect(good.send.map((o) => o.message.kind)).toContain('commit');
  });

  it('a vote relayed by another replica than its signer is checked at once', () => {
    const backup = core(1);
    const state = backup.initialState(T0);
    const fields = { view: 0, seq: 1, digest: chain.genesisHash, from: 2 };
    const relayedForgery = backup.step(state, { kind: 'message', from: 3, message: signVote(chain, replicaSigners[3], 'commit', fields) });
    expect(relayedForgery.rejected).toEqual([{ from: 3, kind: 'commit', reason: 'signature does not verify' }]);
    const relayedGenuine = backup.step(state, { kind: 'message', from: 3, message: signVote(chain, replicaSigners[2], 'commit', fields) });
    expect(relayedGenuine.rejected).toEqual([]);
    expect(state.slots.get(1)?.commits.checked.has(2)).toBe(true);
  });
});

describe('checkpoints and watermarks (§4.3)', () => {
  it('"a checkpoint with a proof becomes stable … the replica discards all entries in its log with sequence numbers ≤ n", and the low watermark moves', () => {
    const c = new Cluster();
    c.submit(...Array.from({ length: 4 * K + 2 }, tx));
    c.tick(T0 + 10);
    c.tick(T0 + 20);
    for (const s of c.states) {
      expect(s.executed).toBe(K + 1);
      expect(s.stable.seq).toBe(K);
      expect(s.stable.proof.length).toBe(chain.quorum);
      expect([...s.slots.keys()].every((seq) => seq > K)).toBe(true);
      expect([...s.prepared.keys()].every((seq) => seq > K)).toBe(true);
    }
    const late = c.step(1, { kind: 'message', from: 0, message: c.outputs.find((o) => o.out.send.some((x) => x.message.kind === 'pre-prepare'))!.out.send[0].message });
    expect(late.rejected[0].reason).toMatch(/outside the watermarks|already executed/);
  });

  it('"the high water mark H = h + k": without stable checkpoints the primary stops proposing at h + L', () => {
    const c = new Cluster();
    c.drop = (_to, m) => m.kind === 'checkpoint';
    c.submit(...Array.from({ length: 4 * (L + 3) }, tx));
    for (let t = 10; t <= 60; t += 10) c.tick(T0 + t);
    expect(c.states.map((s) => s.executed)).toEqual([L, L, L, L]);
    expect(c.states[0].pending.size).toBe(4 * 3);
  });
});

describe('view change (§4.4)', () => {
  const vc = (from: number, view: number) => signViewChange(chain, replicaSigners[from], { view, from, stable: genesisCheckpoint(chain), prepared: [] });

  it('"if the timer expires … it starts a view change"; the next timer waits twice as long, and only once 2f+1 replicas asked for the view', () => {
    const r = core(3);
    let s = r.initialState(T0);
    s = r.step(s, { kind: 'request', transaction: tx() }).state;
    expect(r.step(s, { kind: 'tick', now: T0 + 999 }).state.changing).toBe(false);
    const first = r.step(s, { kind: 'tick', now: T0 + 1_000 });
    expect(first.send.map((x) => x.message.kind)).toContain('view-change');
    expect(first.state).toMatchObject({ view: 1, changing: true });
    // Alone in view 1, the timer does not run: one slow replica must not race ahead.
    expect(r.step(s, { kind: 'tick', now: T0 + 10_000 }).state.view).toBe(1);
    r.step(s, { kind: 'message', from: 0, message: vc(0, 1) });
    r.step(s, { kind: 'message', from: 2, message: vc(2, 1) });
    expect(s.viewChangeQuorumAt).toBe(T0 + 10_000);
    expect(r.step(s, { kind: 'tick', now: T0 + 10_000 + 1_999 }).state.view).toBe(1);
    expect(r.step(s, { kind: 'tick', now: T0 + 10_000 + 2_000 }).state).toMatchObject({ view: 2, changing: true });
    r.step(s, { kind: 'message', from: 0, message: vc(0, 2) });
    r.step(s, { kind: 'message', from: 1, message: vc(1, 2) });
    expect(r.step(s, { kind: 'tick', now: T0 + 12_000 + 3_999 }).state.view).toBe(2);
    expect(r.step(s, { kind: 'tick', now: T0 + 12_000 + 4_000 }).state.view).toBe(3);
  });

  it('"a replica that receives f+1 valid VIEW-CHANGE messages for views greater than its own sends a VIEW-CHANGE for the smallest of them"', () => {
    const r = core(3);
    const s = r.initialState(T0);
    expect(r.step(s, { kind: 'message', from: 1, message: vc(1, 2) }).state.view).toBe(0);
    const out = r.step(s, { kind: 'message', from: 2, message: vc(2, 1) });
    expect(out.state).toMatchObject({ view: 1, changing: true });
    expect(out.send.find((x) => x.message.kind === 'view-change')?.message).toMatchObject({ view: 1, from: 3 });
  });

  it('refuses view changes that are stale, forged or duplicated, with a reason each', () => {
    const r = core(3);
    const s = r.initialState(T0);
    r.step(s, { kind: 'message', from: 1, message: vc(1, 1) });
    const reasons = [
      r.step(s, { kind: 'message', from: 1, message: vc(1, 1) }),
      r.step(s, { kind: 'message', from: 2, message: { ...vc(2, 1), from: 0 } }),
      r.step(s, { kind: 'message', from: 2, message: vc(2, 0) }),
    ].map((o) => o.rejected[0]?.reason);
    expect(reasons).toEqual(['duplicate', 'view change signature does not verify', 'view 0 already entered or passed']);
  });
});

describe('catching up and halting', () => {
  const produced = (() => {
    const sim = new Simulation({ n: 4, seed: 3, scheme: cluster.scheme, network: scriptedPolicy(1), rules: { checkpointInterval: K, watermarkWindow: L }, timing });
    // The simulation's cluster must be this one: same labels, same keys.
    expect(sim.cluster.genesis).toEqual(cluster.genesis);
    for (let i = 0; i < 12; i++) sim.submit(cinemaTransaction(sim.cluster.ledger, rng), i * 20);
    expect(sim.settle(5_000)).toBe(true);
    return sim.nodes[0].blocks;
  })();

  it('a lagging replica adopts committed blocks with their certificates, in order, and refuses forged or out-of-order ones', () => {
    const r = core(2);
    const s = r.initialState(T0);
    const feed = (b: CommittedBlock) => r.step(s, { kind: 'committed-block', from: 0, block: b.block, certificate: b.certificate });
    expect(feed(produced[1]).rejected[0].reason).toBe('height 2 does not follow 0');
    const forged = structuredClone(produced[0]);
    forged.certificate.commits = forged.certificate.commits.slice(1);
    expect(feed(forged).rejected[0].reason).toBe('2 commits, 3 needed');
    for (const b of produced) expect(feed(b).committed).toHaveLength(1);
    expect(s.executed).toBe(produced.length);
    expect(feed(produced[0]).rejected[0].reason).toBe('height 1 already executed');
  });

  it('asks to catch up once peers report more executed blocks for a whole status round', () => {
    const r = core(2);
    const s = r.initialState(T0);
    r.step(s, { kind: 'message', from: 1, message: { kind: 'status', from: 1, view: 0, changing: false, executed: 5, stable: 4 } });
    expect(r.step(s, { kind: 'tick', now: T0 + 50 }).catchUp).toBeUndefined();
    expect(r.step(s, { kind: 'tick', now: T0 + 150 }).catchUp).toEqual({ fromHeight: 1, peers: [1] });
  });

  it('halts rather than go on when 2f+1 replicas vouch for another block at a height it executed', () => {
    const r = core(2);
    const s = r.initialState(T0);
    for (const b of produced.slice(0, K)) r.step(s, { kind: 'committed-block', from: 0, block: b.block, certificate: b.certificate });
    const other = { ...produced[K - 1].block.header, timestamp: produced[K - 1].block.header.timestamp + 1 };
    let halted: string | undefined;
    for (const from of [0, 1, 3]) halted ??= r.step(s, { kind: 'message', from, message: signCheckpoint(chain, replicaSigners[from], from, other, blockHash(other)) }).halted;
    expect(halted).toMatch(/vouch for another block at height 4/);
    expect(r.step(s, { kind: 'request', transaction: tx() }).rejected[0].reason).toMatch(/^halted: /);
  });
});
