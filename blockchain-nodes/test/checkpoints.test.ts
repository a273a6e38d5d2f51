import { describe, expect, it } from 'vitest';
import { blockHash, makeBlock, type BlockHeader } from '../src/chain/block';
import { addCheckpointVote, addOwnCheckpoint, discardHeadersBelow, discardUpTo, newlyStable, withinWatermarks, type CheckpointVotes } from '../src/pbft/checkpoints';
import { checkpointSignatureValid, signCheckpoint, type Checkpoint } from '../src/pbft/messages';
import { cinemaTransaction, testCluster } from '../src/sim/fixtures';
import { Random } from '../src/sim/random';
import { idealScheme } from '../src/sim/signatures';

// Checkpoints, stability and watermarks. Sentences quoted are from Castro & Liskov, "Practical
// Byzantine Fault Tolerance" (OSDI '99), §4.3.

const K = 4;
const L = 8;
const cluster = testCluster(4, idealScheme(), { checkpointInterval: K, watermarkWindow: L });
const { chain, replicaSigners, ledger } = cluster;
const rng = new Random(5);

/** The header at `height`, one block per (height, variant): another variant is another block at that height. */
const headers = new Map<string, BlockHeader>();
function headerAt(height: number, variant = 0): BlockHeader {
  const key = `${height}/${variant}`;
  if (!headers.has(key)) {
    const block = makeBlock({ height, parentHash: chain.genesisHash, view: 0, proposer: 0, timestamp: chain.genesis.createdAt + variant }, [cinemaTransaction(ledger, rng)]);
    headers.set(key, block.header);
  }
  return headers.get(key)!;
}

/** Replica `from` vouches for the block at `height`; `signedBy` another replica's key makes it a forgery. */
const checkpoint = (from: number, height: number, variant = 0, signedBy = from): Checkpoint =>
  signCheckpoint(chain, replicaSigners[signedBy], from, headerAt(height, variant), blockHash(headerAt(height, variant)));

function countingCheck() {
  const checked: number[] = [];
  const genuine = (vote: Checkpoint) => {
    checked.push(vote.from);
    return checkpointSignatureValid(chain, cluster.scheme.verify, vote);
  };
  return { genuine, checked };
}

const KEEP = L / K + 2;

describe('watermarks', () => {
  it('"the low-water mark h is equal to the sequence number of the last stable checkpoint" and "the high water mark H = h + k": h < n ≤ H', () => {
    const h = 8;
    expect([8, 9, 16, 17].map((n) => withinWatermarks(h, L, n))).toEqual([false, true, true, false]);
    expect(withinWatermarks(0, L, 1)).toBe(true);
  });
});

describe('checkpoint votes', () => {
  it('one vote per replica per height, with a valid signature; a repeat costs no check', () => {
    const votes: CheckpointVotes = new Map();
    const { genuine, checked } = countingCheck();
    expect(addCheckpointVote(votes, checkpoint(1, 4, 0, 2), genuine, KEEP)).toBe('signature does not verify');
    expect(votes.get(4)?.has(1)).toBeFalsy();
    expect(addCheckpointVote(votes, checkpoint(1, 4), genuine, KEEP)).toBeUndefined();
    expect(addCheckpointVote(votes, checkpoint(1, 4), genuine, KEEP)).toBe('duplicate');
    expect(addCheckpointVote(votes, checkpoint(1, 4, 1), genuine, KEEP)).toBe('replica 1 vouched for another block at this height');
    expect(checked).toEqual([1, 1]);
    expect(votes.get(4)?.get(1)?.digest).toBe(blockHash(headerAt(4)));
  });

  it('a replica far ahead costs bounded memory: its lowest height makes way, the others\' votes stay', () => {
    const votes: CheckpointVotes = new Map();
    const { genuine } = countingCheck();
    addCheckpointVote(votes, checkpoint(2, 4), genuine, KEEP);
    for (let k = 1; k <= KEEP + 2; k++) addCheckpointVote(votes, checkpoint(1, k * K), genuine, KEEP);
    const heightsOf = (from: number) => [...votes].filter(([, v]) => v.has(from)).map(([seq]) => seq);
    expect(heightsOf(1)).toEqual([3, 4, 5, 6].map((k) => k * K));
    expect(heightsOf(2)).toEqual([4]);
  });

  it('the replica\'s own vote is never checked nor evicted', () => {
    const votes: CheckpointVotes = new Map();
    for (let k = 1; k <= KEEP + 2; k++) addOwnCheckpoint(votes, checkpoint(0, k * K));
    expect([...votes.keys()]).toHaveLength(KEEP + 2);
  });
});

describe('stability', () => {
  const withVotes = (...list: Checkpoint[]) => {
    const votes: CheckpointVotes = new Map();
    for (const v of list) addOwnCheckpoint(votes, v);
    return votes;
  };

  it('"a checkpoint with a proof becomes stable": 2f+1 matching CHECKPOINTs, and the proof holds exactly 2f+1, lowest ids first', () => {
    expect(newlyStable(withVotes(checkpoint(3, 4), checkpoint(1, 4)), 0, chain.quorum)).toBeUndefined();
    const stable = newlyStable(withVotes(checkpoint(3, 4), checkpoint(1, 4), checkpoint(2, 4), checkpoint(0, 4)), 0, chain.quorum);
    expect(stable).toEqual({
      seq: 4,
      digest: blockHash(headerAt(4)),
      header: headerAt(4),
      proof: [0, 1, 2].map((from) => ({ from, signature: checkpoint(from, 4).signature })),
    });
  });

  it('votes split between two blocks at a height make neither stable', () => {
    expect(newlyStable(withVotes(checkpoint(0, 4), checkpoint(1, 4), checkpoint(2, 4, 1), checkpoint(3, 4, 1)), 0, chain.quorum)).toBeUndefined();
  });

  it('takes the highest height with a quorum, and nothing at or below the stable checkpoint', () => {
    // a replica that was behind sends its vote for 4 after the others' for 8
    const votes = withVotes(...[0, 1, 2].map((from) => checkpoint(from, 8)), ...[0, 1, 2].map((from) => checkpoint(from, 4)), checkpoint(3, 12));
    expect(newlyStable(votes, 0, chain.quorum)?.seq).toBe(8);
    expect(newlyStable(votes, 8, chain.quorum)).toBeUndefined();
  });
});

describe('garbage collection', () => {
  it('"the replica discards all entries in its log with sequence numbers less than or equal to n"', () => {
    const log = new Map([3, 4, 5, 9].map((seq) => [seq, `entry ${seq}`]));
    discardUpTo(log, 4);
    expect([...log.keys()]).toEqual([5, 9]);
  });

  it('keeps executed headers from the stable checkpoint up, or from the head when the replica is behind it', () => {
    const recent = () => new Map([2, 3, 4, 5, 6].map((h) => [h, h]));
    const caughtUp = recent();
    discardHeadersBelow(caughtUp, 4, 6);
    expect([...caughtUp.keys()]).toEqual([4, 5, 6]);
    const behind = recent();
    discardHeadersBelow(behind, 8, 3);
    expect([...behind.keys()]).toEqual([3, 4, 5, 6]);
  });
});
