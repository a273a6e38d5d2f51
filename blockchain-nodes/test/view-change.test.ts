import { describe, expect, it } from 'vitest';
import { blockHash, makeBlock, type Block } from '../src/chain/block';
import { primaryOf } from '../src/chain/genesis';
import { signCheckpoint, signNewView, signPrePrepare, signViewChange, signVote, type PreparedCertificate, type StableCheckpoint, type ViewChange } from '../src/pbft/messages';
import {
  forgetViewChangesUpTo,
  genesisCheckpoint,
  laterViewToJoin,
  newViewProblem,
  planNewView,
  storeViewChange,
  viewChangeProblem,
  viewChangesFor,
  type ViewChangeVotes,
} from '../src/pbft/view-change';
import { cinemaTransaction, testCluster } from '../src/sim/fixtures';
import { Random } from '../src/sim/random';
import { idealScheme } from '../src/sim/signatures';

// The new-view rule on hand-built view changes (PBFT §4.4, with the hash-chain extension).
const cluster = testCluster(4, idealScheme(), { checkpointInterval: 4, watermarkWindow: 16 });
const { chain, replicaSigners } = cluster;
const verify = cluster.scheme.verify;
const rng = new Random(9);
const genesis = genesisCheckpoint(chain);

function block(height: number, parentHash: string, view: number, txs = 1): Block {
  const transactions = Array.from({ length: txs }, () => cinemaTransaction(cluster.ledger, rng));
  return makeBlock({ height, parentHash, view, proposer: primaryOf(chain, view), timestamp: chain.genesis.createdAt + height }, transactions);
}

function prepared(b: Block, view: number, backups?: number[]): PreparedCertificate {
  const seq = b.header.height;
  const digest = blockHash(b.header);
  const primary = primaryOf(chain, view);
  const voters = backups ?? [0, 1, 2, 3].filter((r) => r !== primary).slice(0, chain.quorum - 1);
  const pp = signPrePrepare(chain, replicaSigners[primary], primary, view, seq, digest, b);
  const prepares = voters.map((from) => ({ from, signature: signVote(chain, replicaSigners[from], 'prepare', { view, seq, digest, from }).signature }));
  return { view, seq, digest, prePrepareSignature: pp.signature, prepares, block: b };
}

function stableAt(b: Block, voters = [0, 1, 2]): StableCheckpoint {
  const digest = blockHash(b.header);
  const proof = voters.map((from) => {
    const cp = signCheckpoint(chain, replicaSigners[from], from, b.header, digest);
    return { from, signature: cp.signature };
  });
  return { seq: b.header.height, digest, header: b.header, proof };
}

const viewChange = (from: number, view: number, certs: PreparedCertificate[] = [], stable = genesis): ViewChange =>
  signViewChange(chain, replicaSigners[from], { view, from, stable, prepared: certs });

describe('planNewView: what a new primary must re-propose', () => {
  const a1 = block(1, chain.genesisHash, 0);
  const a2 = block(2, blockHash(a1.header), 0);

  it('re-proposes a block prepared in the old view at the same sequence number, unchanged', () => {
    const plan = planNewView(chain, 1, [viewChange(1, 1, [prepared(a1, 0), prepared(a2, 0)]), viewChange(2, 1), viewChange(3, 1)]);
    expect(plan.stable.seq).toBe(0);
    expect(plan.blocks.map((b) => blockHash(b.header))).toEqual([blockHash(a1.header), blockHash(a2.header)]);
  });

  it('takes, per height, the block prepared in the highest view', () => {
    const b1 = block(1, chain.genesisHash, 1);
    const plan = planNewView(chain, 2, [viewChange(0, 2, [prepared(a1, 0)]), viewChange(3, 2, [prepared(b1, 1)]), viewChange(2, 2)]);
    expect(plan.blocks.map((b) => blockHash(b.header))).toEqual([blockHash(b1.header)]);
  });

  it('replaces a block whose parent lost its height, and leaves no empty blocks on top', () => {
    const b1 = block(1, chain.genesisHash, 1);
    // a2 extends a1, but b1 wins height 1: a2 can never have committed, so it goes.
    const plan = planNewView(chain, 2, [viewChange(0, 2, [prepared(a1, 0), prepared(a2, 0)]), viewChange(3, 2, [prepared(b1, 1)]), viewChange(2, 2)]);
    expect(plan.blocks.map((b) => blockHash(b.header))).toEqual([blockHash(b1.header)]);
  });

  it('fills a height nobody prepared with an empty block when a later height needs a link', () => {
    const lone3 = block(3, blockHash(a2.header), 0);
    const plan = planNewView(chain, 1, [viewChange(1, 1, [prepared(a1, 0), prepared(lone3, 0)]), viewChange(2, 1), viewChange(3, 1)]);
    // Height 2 has no certificate, so it is filled; then 3 no longer links, so it and the filler go.
    expect(plan.blocks.map((b) => b.header.height)).toEqual([1]);
  });

  it('starts above the highest stable checkpoint among the view changes', () => {
    const chainBlocks = [a1, a2];
    for (let h = 3; h <= 5; h++) chainBlocks.push(block(h, blockHash(chainBlocks[h - 2].header), 0));
    const stable4 = stableAt(chainBlocks[3]);
    const plan = planNewView(chain, 1, [
      viewChange(1, 1, [prepared(chainBlocks[4], 0)], stable4),
      viewChange(2, 1, chainBlocks.map((b) => prepared(b, 0))),
      viewChange(3, 1),
    ]);
    expect(plan.stable.seq).toBe(4);
    expect(plan.blocks.map((b) => b.header.height)).toEqual([5]);
  });
});

describe('view-change proofs', () => {
  const a1 = block(1, chain.genesisHash, 0);

  it('accepts an honest view change', () => {
    expect(viewChangeProblem(chain, viewChange(1, 1, [prepared(a1, 0)]), verify)).toBeNull();
  });

  const bad: [string, () => ViewChange, RegExp][] = [
    ['a certificate with too few prepares', () => viewChange(1, 1, [prepared(a1, 0, [1])]), /1 prepares, 2 needed/],
    ['a prepare signed by the primary', () => viewChange(1, 1, [prepared(a1, 0, [0, 1])]), /cannot count/],
    ['a certificate from a view not yet left', () => viewChange(1, 1, [prepared(a1, 1)]), /not yet left/],
    ['a checkpoint proof with two votes', () => viewChange(1, 1, [], stableAt(block(4, chain.genesisHash, 0), [0, 1])), /2 votes, 3 needed/],
    ['a forged signature', () => ({ ...viewChange(1, 1), from: 2 }), /signature does not verify/],
    ['a block that does not match its certificate', () => viewChange(1, 1, [{ ...prepared(a1, 0), block: block(1, chain.genesisHash, 0) }]), /does not match its digest/],
  ];
  for (const [what, make, reason] of bad) it(`refuses ${what}`, () => expect(viewChangeProblem(chain, make(), verify)).toMatch(reason));
});

describe('new-view proofs', () => {
  const a1 = block(1, chain.genesisHash, 0);
  const vcs = [viewChange(1, 1, [prepared(a1, 0)]), viewChange(2, 1), viewChange(3, 1)];
  const honest = (viewChanges = vcs, from = 1, blocks = planNewView(chain, 1, viewChanges).blocks) =>
    signNewView(chain, replicaSigners[from], {
      view: 1,
      from,
      viewChanges,
      prePrepares: blocks.map((b, i) => signPrePrepare(chain, replicaSigners[from], from, 1, i + 1, blockHash(b.header), b)),
    });

  it('accepts exactly what the view changes imply', () => {
    expect(newViewProblem(chain, honest(), verify)).toMatchObject({ plan: { stable: { seq: 0 } } });
  });

  it('refuses too few view changes, a replica counted twice, the wrong sender, or other proposals', () => {
    expect(newViewProblem(chain, honest(vcs.slice(0, 2)), verify)).toEqual({ problem: '2 view changes, 3 needed' });
    expect(newViewProblem(chain, honest([vcs[0], vcs[1], vcs[1]]), verify)).toEqual({ problem: 'new view counts replica 2 twice' });
    expect(newViewProblem(chain, honest(vcs, 2), verify)).toEqual({ problem: 'new view not from the primary of that view' });
    expect(newViewProblem(chain, honest(vcs, 1, []), verify)).toMatchObject({ problem: /different number of blocks/ });
    expect(newViewProblem(chain, honest(vcs, 1, [block(1, chain.genesisHash, 1)]), verify)).toMatchObject({ problem: /not the one its view changes imply/ });
  });
});

describe('the VIEW-CHANGEs a replica holds', () => {
  const held = (...vcs: ViewChange[]) => {
    const votes: ViewChangeVotes = new Map();
    for (const vc of vcs) storeViewChange(votes, vc);
    return votes;
  };

  it('"a replica that receives f+1 valid VIEW-CHANGE messages for views greater than its own sends a VIEW-CHANGE for the smallest of them" (§4.5.2)', () => {
    // f = 1: two other replicas asking for later views include an honest one
    expect(laterViewToJoin(held(viewChange(1, 3)), 0, 0, chain.f)).toBeUndefined();
    expect(laterViewToJoin(held(viewChange(1, 3), viewChange(2, 1)), 0, 0, chain.f)).toBe(1);
    expect(laterViewToJoin(held(viewChange(1, 3), viewChange(2, 2), viewChange(3, 5)), 0, 0, chain.f)).toBe(3);
  });

  it('its own VIEW-CHANGE and views not above its own do not count toward the f+1', () => {
    expect(laterViewToJoin(held(viewChange(0, 4), viewChange(1, 4)), 0, 0, chain.f)).toBeUndefined();
    expect(laterViewToJoin(held(viewChange(1, 2), viewChange(2, 1)), 0, 1, chain.f)).toBeUndefined();
  });

  it('keeps each replica\'s VIEW-CHANGEs per view, so one that moved on still counts toward the view it left', () => {
    const votes = held(viewChange(3, 1), viewChange(1, 1), viewChange(1, 2), viewChange(2, 1));
    expect(viewChangesFor(votes, 1).map((vc) => vc.from)).toEqual([1, 2, 3]);
    expect(viewChangesFor(votes, 2).map((vc) => vc.from)).toEqual([1]);
  });

  it('a replica announcing endless views only ever evicts its own oldest', () => {
    const votes = held(viewChange(2, 1));
    for (let view = 1; view <= 20; view++) storeViewChange(votes, viewChange(1, view));
    expect([...votes.get(1)!.keys()]).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect([...votes.get(2)!.keys()]).toEqual([1]);
  });

  it('entering a view settles it and every view before it', () => {
    const votes = held(viewChange(1, 1), viewChange(1, 3), viewChange(2, 1), viewChange(3, 2));
    forgetViewChangesUpTo(votes, 2);
    expect([...votes].map(([from, byView]) => [from, [...byView.keys()]])).toEqual([[1, [3]]]);
  });
});
