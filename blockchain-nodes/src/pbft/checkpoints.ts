import type { ReplicaId } from '../chain/genesis';
import type { Checkpoint, StableCheckpoint } from './messages';

// Checkpoints and watermarks (PBFT §4.3). Every K blocks each replica signs CHECKPOINT(n, d);
// "a checkpoint with a proof becomes stable", the proof being 2f+1 matching ones. The stable
// checkpoint is the low watermark h: "the replica discards all entries in its log with sequence
// numbers less than or equal to n", and accepts nothing above the high watermark H = h + L.

/** Checkpoint votes by height, then by replica. */
export type CheckpointVotes = Map<number, Map<ReplicaId, Checkpoint>>;

/** h < seq ≤ H: a sequence number the log may hold, with h the stable checkpoint and `window` = L. */
export const withinWatermarks = (stableSeq: number, window: number, seq: number): boolean => seq > stableSeq && seq <= stableSeq + window;

/** The replica's own vote, which it signed itself: never checked, never evicted. */
export function addOwnCheckpoint(votes: CheckpointVotes, vote: Checkpoint): void {
  let atHeight = votes.get(vote.seq);
  if (!atHeight) votes.set(vote.seq, (atHeight = new Map()));
  atHeight.set(vote.from, vote);
}

/**
 * Adds a peer's vote, or says why not: one vote per replica per height, a valid signature.
 * A replica may be ahead of this one, but not by unbounded memory: at most `keepPerReplica` of
 * its votes are kept, its lowest height making way for a new one.
 */
export function addCheckpointVote(votes: CheckpointVotes, vote: Checkpoint, genuine: (vote: Checkpoint) => boolean, keepPerReplica: number): string | undefined {
  const existing = votes.get(vote.seq)?.get(vote.from);
  if (existing) return existing.digest === vote.digest ? 'duplicate' : `replica ${vote.from} vouched for another block at this height`;
  if (!genuine(vote)) return 'signature does not verify';
  const theirs = [...votes].filter(([, atHeight]) => atHeight.has(vote.from)).map(([seq]) => seq);
  if (theirs.length >= keepPerReplica) votes.get(Math.min(...theirs))?.delete(vote.from);
  addOwnCheckpoint(votes, vote);
  return undefined;
}

/**
 * The highest checkpoint above `stableSeq` that `quorum` replicas vouch for with one digest, with
 * its proof (the lowest replica ids first, exactly `quorum` of them); undefined if none.
 */
export function newlyStable(votes: CheckpointVotes, stableSeq: number, quorum: number): StableCheckpoint | undefined {
  let best: { seq: number; votes: Checkpoint[] } | undefined;
  for (const [seq, atHeight] of votes) {
    if (seq <= stableSeq || (best && seq <= best.seq)) continue;
    const byDigest = new Map<string, Checkpoint[]>();
    for (const v of atHeight.values()) byDigest.set(v.digest, [...(byDigest.get(v.digest) ?? []), v]);
    for (const list of byDigest.values()) if (list.length >= quorum) best = { seq, votes: list };
  }
  if (!best) return undefined;
  const proof = [...best.votes].sort((a, b) => a.from - b.from).slice(0, quorum).map((v) => ({ from: v.from, signature: v.signature }));
  return { seq: best.seq, digest: best.votes[0].digest, header: best.votes[0].header, proof };
}

/** Garbage collection at a stable checkpoint: what is kept by sequence number at or below it goes. */
export function discardUpTo(bySeq: Map<number, unknown>, stableSeq: number): void {
  for (const seq of bySeq.keys()) if (seq <= stableSeq) bySeq.delete(seq);
}

/**
 * Executed headers are kept from the stable checkpoint up (a NEW-VIEW's checkpoint and 2f+1
 * CHECKPOINTs are checked against them), or from the head when a replica that is behind has not
 * executed that far yet.
 */
export function discardHeadersBelow(recent: Map<number, unknown>, stableSeq: number, executed: number): void {
  const keepFrom = Math.min(stableSeq, executed);
  for (const seq of recent.keys()) if (seq < keepFrom) recent.delete(seq);
}
