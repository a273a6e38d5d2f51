import { describe, expect, it } from 'vitest';
import { blockHash, makeBlock, type Block } from '../src/chain/block';
import { primaryOf } from '../src/chain/genesis';
import { signCheckpoint, signNewView, signPrePrepare, signViewChange, signVote, type Message, type PreparedCertificate, type StableCheckpoint } from '../src/pbft/messages';
import { createReplica } from '../src/pbft/replica';
import { restoreState, type RecoveredState } from '../src/pbft/restore';
import { genesisCheckpoint } from '../src/pbft/view-change';
import { cinemaTransaction, testCluster } from '../src/sim/fixtures';
import { Random } from '../src/sim/random';
import { idealScheme } from '../src/sim/signatures';

// The state rebuilt from a replica's own records after a restart, on hand-built records. The
// rule it serves: "what a replica signed is persisted before it is sent, so a restart can never
// make it sign two different things for the same (view, seq)". test/runtime/restore.test.ts
// restarts whole clusters under load; this file shows each part of the rebuild alone.

const K = 4;
const L = 8;
const cluster = testCluster(4, idealScheme(), { checkpointInterval: K, watermarkWindow: L });
const { chain, replicaSigners, ledger } = cluster;
const T0 = chain.genesis.createdAt;
const rng = new Random(21);

/** A chain of blocks from genesis, one transaction each, proposed in `view`. */
function blocks(count: number, view = 0, parentHash = chain.genesisHash, from = 1): Block[] {
  const out: Block[] = [];
  for (let height = from; height < from + count; height++) {
    const block = makeBlock({ height, parentHash, view, proposer: primaryOf(chain, view), timestamp: T0 + height }, [cinemaTransaction(ledger, rng)]);
    out.push(block);
    parentHash = blockHash(block.header);
  }
  return out;
}

const prePrepare = (b: Block, view = 0) => signPrePrepare(chain, replicaSigners[primaryOf(chain, view)], primaryOf(chain, view), view, b.header.height, blockHash(b.header), b);
const vote = (phase: 'prepare' | 'commit', from: number, b: Block, view = 0) =>
  signVote(chain, replicaSigners[from], phase, { view, seq: b.header.height, digest: blockHash(b.header), from });

function prepared(b: Block, view: number): PreparedCertificate {
  const primary = primaryOf(chain, view);
  const backups = [0, 1, 2, 3].filter((r) => r !== primary).slice(0, chain.quorum - 1);
  return { view, seq: b.header.height, digest: blockHash(b.header), prePrepareSignature: prePrepare(b, view).signature, prepares: backups.map((from) => ({ from, signature: vote('prepare', from, b, view).signature })), block: b };
}

function stableAt(b: Block): StableCheckpoint {
  const digest = blockHash(b.header);
  return { seq: b.header.height, digest, header: b.header, proof: [0, 1, 2].map((from) => ({ from, signature: signCheckpoint(chain, replicaSigners[from], from, b.header, digest).signature })) };
}

const recovered = (r: Partial<RecoveredState>): RecoveredState => ({ executed: [], committedIds: [], signed: [], prepared: [], ...r });
const executedOf = (chainBlocks: Block[]) => chainBlocks.map((b) => ({ header: b.header, hash: blockHash(b.header) }));

describe('the executed chain', () => {
  const executed = blocks(6);

  it('comes back from the stable checkpoint up, with every committed id, and the next proposal goes above it', () => {
    const s = restoreState(chain, 2, recovered({
      executed: executedOf(executed),
      committedIds: executed.map((b) => [b.transactions[0].id, b.header.height] as const),
      stable: stableAt(executed[3]),
    }));
    expect(s).toMatchObject({ executed: 6, headHash: blockHash(executed[5].header), nextSeq: 7, view: 0, changing: false });
    expect(s.stable.seq).toBe(K);
    expect([...s.recent.keys()]).toEqual([4, 5, 6]);
    expect(s.committedIds.get(executed[2].transactions[0].id)).toBe(3);
  });

  it('a fresh replica\'s records give back the initial state', () => {
    const s = restoreState(chain, 2, recovered({}), T0);
    expect(s).toMatchObject({ executed: 0, nextSeq: 1, view: 0, changing: false, stable: genesisCheckpoint(chain), viewSince: T0 });
    expect(s.slots.size + s.prepared.size + s.checkpointVotes.size + s.viewChanges.size).toBe(0);
  });
});

describe('what it signed', () => {
  it('a primary\'s own pre-prepares put its next sequence number past every height it proposed at', () => {
    const [b1, b2] = blocks(2);
    const primary = createReplica({ genesis: chain, id: 0, signer: replicaSigners[0], verify: cluster.scheme.verify, timing: { batchDelay: 5 } });
    const s = primary.restore(recovered({ signed: [prePrepare(b1), prePrepare(b2)] }), T0);
    expect(s.nextSeq).toBe(3);
    expect([...s.slots.values()].map((slot) => slot.prePrepare?.digest)).toEqual([b1, b2].map((b) => blockHash(b.header)));
    primary.step(s, { kind: 'request', transaction: cinemaTransaction(ledger, rng) });
    const out = primary.step(s, { kind: 'tick', now: T0 + 10 });
    const proposed = out.persist.flatMap((p) => (p.kind === 'signed' && p.message.kind === 'pre-prepare' ? [p.message.seq] : []));
    expect(proposed).toEqual([3]);
  });

  it('a height it voted at accepts only the pre-prepare with the digest it voted for, and it votes there no second time', () => {
    const [b1] = blocks(1);
    const [other] = blocks(1);
    const backup = createReplica({ genesis: chain, id: 1, signer: replicaSigners[1], verify: cluster.scheme.verify });
    const s = backup.restore(recovered({ signed: [vote('prepare', 1, b1)] }), T0);
    expect(s.slots.get(1)?.sentPrepare?.digest).toBe(blockHash(b1.header));
    expect(s.slots.get(1)?.prepares.checked.has(1)).toBe(true);
    const refused = backup.step(s, { kind: 'message', from: 0, message: prePrepare(other) });
    expect(refused.rejected.map((r) => r.reason)).toEqual(['conflicts with the vote this replica signed for this height']);
    const accepted = backup.step(s, { kind: 'message', from: 0, message: prePrepare(b1) });
    expect(accepted.rejected).toEqual([]);
    expect(accepted.persist.filter((p) => p.kind === 'signed')).toEqual([]);
  });

  it('its votes come back only where it may still vote: this view, above what it executed, within the watermarks', () => {
    const executed = blocks(5);
    const later = blocks(9, 0, blockHash(executed[4].header), 6);
    const at = (h: number) => later[h - 6];
    const s = restoreState(chain, 1, recovered({
      executed: executedOf(executed),
      stable: stableAt(executed[3]),
      signed: [vote('prepare', 1, executed[4]), vote('commit', 1, at(6)), vote('prepare', 1, at(12)), vote('prepare', 1, at(13)), vote('prepare', 1, at(7), 1)],
    }));
    // 5 is executed, 13 is above H = 4 + 8, and the vote at 7 is from view 1, which it never entered
    expect([...s.slots.keys()]).toEqual([6, 12]);
    expect(s.slots.get(6)?.sentCommit?.digest).toBe(blockHash(at(6).header));
    expect(s.slots.get(6)?.commits.checked.has(1)).toBe(true);
  });

  it('its checkpoint votes above the stable checkpoint come back', () => {
    const chainBlocks = blocks(8);
    const mine = (b: Block) => signCheckpoint(chain, replicaSigners[3], 3, b.header, blockHash(b.header));
    const s = restoreState(chain, 3, recovered({ executed: executedOf(chainBlocks), stable: stableAt(chainBlocks[3]), signed: [mine(chainBlocks[3]), mine(chainBlocks[7])] }));
    expect([...s.checkpointVotes.keys()]).toEqual([8]);
    expect(s.checkpointVotes.get(8)?.get(3)?.digest).toBe(blockHash(chainBlocks[7].header));
  });

  it('while it was changing view its log stays empty, even of votes in the view it reaches for, but its VIEW-CHANGE and what it prepared come back', () => {
    const [b1] = blocks(1);
    const vc = signViewChange(chain, replicaSigners[2], { view: 1, from: 2, stable: genesisCheckpoint(chain), prepared: [prepared(b1, 0)] });
    const s = restoreState(chain, 2, recovered({ view: { view: 1, changing: true }, signed: [vote('prepare', 2, b1), vote('prepare', 2, b1, 1), vc], prepared: [prepared(b1, 0)] }));
    expect(s).toMatchObject({ view: 1, changing: true });
    expect(s.slots.size).toBe(0);
    expect(s.viewChanges.get(2)?.get(1)).toBe(vc);
    expect(s.prepared.get(1)?.digest).toBe(blockHash(b1.header));
  });
});

describe('prepared certificates', () => {
  it('keep the highest view per height; one of the current view gives back the proposal and the prepares behind it', () => {
    const [b1, b2] = blocks(2);
    const [c1] = blocks(1, 1);
    const s = restoreState(chain, 3, recovered({ view: { view: 1, changing: false }, prepared: [prepared(c1, 1), prepared(b1, 0), prepared(b2, 0)] }));
    expect([...s.prepared].map(([seq, c]) => [seq, c.view])).toEqual([[1, 1], [2, 0]]);
    // only the certificate of view 1 opens a slot; the one of view 0 waits for a VIEW-CHANGE to report it
    expect([...s.slots.keys()]).toEqual([1]);
    const slot = s.slots.get(1)!;
    expect(slot.prePrepare).toMatchObject({ view: 1, seq: 1, from: primaryOf(chain, 1), digest: blockHash(c1.header), signature: prepared(c1, 1).prePrepareSignature });
    expect([...slot.prepares.checked.keys()]).toEqual(prepared(c1, 1).prepares.map((p) => p.from));
    expect(slot.reproposal).toBe(false);
  });

  it('a block prepared in a later view than it was proposed in is a re-proposal, with its original header', () => {
    const [b1] = blocks(1, 0);
    const s = restoreState(chain, 3, recovered({ view: { view: 1, changing: false }, prepared: [prepared(b1, 1)] }));
    expect(s.slots.get(1)?.reproposal).toBe(true);
  });
});

describe('the NEW-VIEW that opened the view', () => {
  const [b1, b2] = blocks(2);
  const reproposals = [b1, b2].map((b) => prePrepare(b, 1));
  const nv = signNewView(chain, replicaSigners[1], { view: 1, from: 1, viewChanges: [], prePrepares: reproposals });

  it('gives back its re-proposals, and the next sequence number goes past them', () => {
    const s = restoreState(chain, 2, recovered({ view: { view: 1, changing: false, newView: nv } }));
    expect(s.newView).toBe(nv);
    expect([...s.slots.values()].map((slot) => [slot.prePrepare, slot.reproposal])).toEqual(reproposals.map((pp) => [pp, true]));
    expect(s.nextSeq).toBe(3);
  });

  it('the new primary finds it among what it signed', () => {
    const signed: Message[] = [nv];
    const s = restoreState(chain, 1, recovered({ view: { view: 1, changing: false }, signed }));
    expect(s.newView).toBe(nv);
    expect(s.slots.get(2)?.reproposal).toBe(true);
  });

  it('a NEW-VIEW for another view than the one recorded opens nothing', () => {
    const s = restoreState(chain, 2, recovered({ view: { view: 2, changing: false, newView: nv } }));
    expect(s.newView).toBeUndefined();
    expect(s.slots.size).toBe(0);
  });
});
