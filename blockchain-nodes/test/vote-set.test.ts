import { describe, expect, it } from 'vitest';
import { sha256Hex, utf8 } from '../src/chain/encoding';
import { signVote, voteSignatureValid, type Vote } from '../src/pbft/messages';
import { initialState, slotAt } from '../src/pbft/state';
import { addTrustedVote, addVote, checkedFor, confirmQuorum, emptyVoteSet, hasQuorum, quorumSignatures, voteOf, type VoteCheck, type VotePhase } from '../src/pbft/vote-set';
import { testCluster } from '../src/sim/fixtures';
import { idealScheme } from '../src/sim/signatures';

// The votes of one phase for one (view, seq). Sentences quoted are from Castro & Liskov,
// "Practical Byzantine Fault Tolerance" (OSDI '99), §4.2, or from this chain's design notes.

const cluster = testCluster(7, idealScheme());
const { chain, replicaSigners } = cluster;
const A = sha256Hex(utf8('block A'));
const B = sha256Hex(utf8('block B'));

/** A vote by `from` for `digest` at (view 0, seq 1); `signedBy` another replica's key makes it a forgery. */
const vote = (phase: VotePhase, from: number, digest = A, signedBy = from): Vote => signVote(chain, replicaSigners[signedBy], phase, { view: 0, seq: 1, digest, from });

/** The real signature check, counting which replicas' votes it was asked about. */
function countingCheck(): VoteCheck & { checked: number[] } {
  const checked: number[] = [];
  return Object.assign((phase: VotePhase, v: Vote) => {
    checked.push(v.from);
    return voteSignatureValid(chain, cluster.scheme.verify, phase, v);
  }, { checked });
}

describe('thresholds (§4.2)', () => {
  it('"prepared" takes 2f PREPAREs besides the pre-prepare, "committed-local" 2f+1 COMMITs', () => {
    const slot = slotAt(initialState(chain, 3), 1, chain.quorum);
    expect(chain.f).toBe(2);
    expect(slot.prepares).toMatchObject({ phase: 'prepare', needed: 2 * chain.f });
    expect(slot.commits).toMatchObject({ phase: 'commit', needed: 2 * chain.f + 1 });
  });
});

describe('one replica, one vote', () => {
  it('refuses a second vote from a replica, checked or held, and names a change of mind', () => {
    const set = emptyVoteSet('commit', 5);
    const check = countingCheck();
    expect(addVote(set, vote('commit', 1), check)).toBeUndefined();
    expect(addVote(set, vote('commit', 2), 'hold')).toBeUndefined();
    expect(addVote(set, vote('commit', 1), check)).toBe('duplicate');
    expect(addVote(set, vote('commit', 2), 'hold')).toBe('duplicate');
    expect(addVote(set, vote('commit', 1, B), 'hold')).toBe('replica 1 already voted for another block');
    expect(addVote(set, vote('commit', 2, B), check)).toBe('replica 2 already voted for another block');
    // a repeat costs no signature check
    expect(check.checked).toEqual([1]);
    expect(voteOf(set, 1)?.digest).toBe(A);
    expect(voteOf(set, 2)?.digest).toBe(A);
  });

  it('a vote relayed by another replica is checked on arrival; a forgery is refused and leaves no trace', () => {
    const set = emptyVoteSet('prepare', 4);
    const check = countingCheck();
    expect(addVote(set, vote('prepare', 3, A, 4), check)).toBe('signature does not verify');
    expect(voteOf(set, 3)).toBeUndefined();
    expect(addVote(set, vote('prepare', 3), check)).toBeUndefined();
    expect(check.checked).toEqual([3, 3]);
    expect(set.checked.has(3)).toBe(true);
  });
});

describe('held votes: checked only when the quorum needs them', () => {
  it('checks nothing while the held votes cannot complete the quorum, then only as many as it needs', () => {
    const set = emptyVoteSet('commit', 5);
    const check = countingCheck();
    addTrustedVote(set, vote('commit', 0)); // this replica's own COMMIT
    for (const from of [1, 2, 3]) addVote(set, vote('commit', from), 'hold');
    expect(confirmQuorum(set, A, check)).toEqual([]);
    expect(check.checked).toEqual([]);
    expect(hasQuorum(set, A)).toBe(false);

    for (const from of [4, 5, 6]) addVote(set, vote('commit', from), 'hold');
    expect(confirmQuorum(set, A, check)).toEqual([]);
    // 1 own + 4 checked = 2f+1; of the six held, in arrival order, the last two are never checked
    expect(check.checked).toEqual([1, 2, 3, 4]);
    expect(hasQuorum(set, A)).toBe(true);
    expect([...set.held.keys()]).toEqual([5, 6]);
  });

  it('held votes for another block neither count toward this one nor get checked for it', () => {
    const set = emptyVoteSet('prepare', 4);
    const check = countingCheck();
    for (const from of [1, 2, 3]) addVote(set, vote('prepare', from, B), 'hold');
    addVote(set, vote('prepare', 4), 'hold');
    expect(confirmQuorum(set, A, check)).toEqual([]);
    expect(check.checked).toEqual([]);
    expect(hasQuorum(set, A)).toBe(false);
    expect(checkedFor(set, B)).toBe(0);
  });

  it('a held vote that fails is dropped and returned, and the next one is checked in its place', () => {
    const set = emptyVoteSet('prepare', 2);
    const check = countingCheck();
    const forged = vote('prepare', 1, A, 6);
    addVote(set, forged, 'hold');
    addVote(set, vote('prepare', 2), 'hold');
    addVote(set, vote('prepare', 3), 'hold');
    expect(confirmQuorum(set, A, check)).toEqual([forged]);
    expect(check.checked).toEqual([1, 2, 3]);
    expect(hasQuorum(set, A)).toBe(true);
    expect(voteOf(set, 1)).toBeUndefined();
  });

  it('after a failure leaves it short, the good votes stay checked and the next held vote completes the quorum', () => {
    const set = emptyVoteSet('prepare', 2);
    const check = countingCheck();
    addVote(set, vote('prepare', 1, A, 6), 'hold');
    addVote(set, vote('prepare', 2), 'hold');
    expect(confirmQuorum(set, A, check)).toHaveLength(1);
    expect(hasQuorum(set, A)).toBe(false);
    expect(checkedFor(set, A)).toBe(1);
    addVote(set, vote('prepare', 3), 'hold');
    expect(confirmQuorum(set, A, check)).toEqual([]);
    expect(check.checked).toEqual([1, 2, 3]);
    expect(hasQuorum(set, A)).toBe(true);
  });

  it('checks nothing once the quorum is complete', () => {
    const set = emptyVoteSet('prepare', 2);
    const check = countingCheck();
    addVote(set, vote('prepare', 1), check);
    addVote(set, vote('prepare', 2), check);
    addVote(set, vote('prepare', 3), 'hold');
    expect(confirmQuorum(set, A, check)).toEqual([]);
    expect(check.checked).toEqual([1, 2]);
  });
});

describe('certificates', () => {
  it('"only votes whose signatures were checked go into a certificate": neither a held vote nor one for another block', () => {
    const set = emptyVoteSet('commit', 5);
    for (const from of [6, 3, 5, 2, 4]) addTrustedVote(set, vote('commit', from));
    addTrustedVote(set, vote('commit', 0, B));
    addVote(set, vote('commit', 1), 'hold');
    expect(quorumSignatures(set, A)).toEqual([2, 3, 4, 5, 6].map((from) => ({ from, signature: vote('commit', from).signature })));
  });

  it('holds exactly the quorum, lowest replica ids first, however many more were checked', () => {
    const set = emptyVoteSet('commit', 5);
    for (const from of [6, 3, 0, 5, 2, 4, 1]) addTrustedVote(set, vote('commit', from));
    expect(quorumSignatures(set, A).map((s) => s.from)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a quorum is counted per block: 2f+1 split between two blocks is no quorum for either', () => {
    const set = emptyVoteSet('commit', 5);
    for (const from of [0, 1, 2]) addTrustedVote(set, vote('commit', from));
    for (const from of [3, 4, 5, 6]) addTrustedVote(set, vote('commit', from, B));
    expect([checkedFor(set, A), checkedFor(set, B)]).toEqual([3, 4]);
    expect(hasQuorum(set, A) || hasQuorum(set, B)).toBe(false);
  });
});
