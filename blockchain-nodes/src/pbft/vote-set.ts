import type { ReplicaId } from '../chain/genesis';
import type { Signed, Vote } from './messages';

// The votes of one phase (PREPARE or COMMIT) for one sequence number in one view: cometbft's
// VoteSet, for PBFT. One vote per replica; only votes whose signatures were checked count
// toward the quorum or go into a certificate. A vote that came straight from its signer over
// the link the transport authenticated may be held unchecked, and is checked only once the
// quorum needs it: of the n−1 votes that arrive per phase, only the 2f or 2f+1 a quorum needs
// cost a signature check.

export type VotePhase = 'prepare' | 'commit';

export interface VoteSet {
  phase: VotePhase;
  /** Matching checked votes that make the quorum: 2f prepares ("prepared"), 2f+1 commits ("committed-local"). */
  needed: number;
  checked: Map<ReplicaId, Vote>;
  /** Straight from their signers, signatures not checked yet (see {@link confirmQuorum}). */
  held: Map<ReplicaId, Vote>;
}

/** Whether a vote's signature verifies for its phase; the core injects the real check. */
export type VoteCheck = (phase: VotePhase, vote: Vote) => boolean;

export const emptyVoteSet = (phase: VotePhase, needed: number): VoteSet => ({ phase, needed, checked: new Map(), held: new Map() });

/** The vote a replica already cast in this set, checked or held. */
export const voteOf = (set: VoteSet, from: ReplicaId): Vote | undefined => set.checked.get(from) ?? set.held.get(from);

/**
 * Adds a peer's vote, or says why not. With `check` the signature is checked now (a vote relayed
 * by someone other than its signer); with 'hold' it waits until a quorum needs it. A replica's
 * second vote here is refused either way: one replica, one vote.
 */
export function addVote(set: VoteSet, vote: Vote, check: VoteCheck | 'hold'): string | undefined {
  const existing = voteOf(set, vote.from);
  if (existing) return existing.digest === vote.digest ? 'duplicate' : `replica ${vote.from} already voted for another block`;
  if (check === 'hold') {
    set.held.set(vote.from, vote);
    return undefined;
  }
  if (!check(set.phase, vote)) return 'signature does not verify';
  set.checked.set(vote.from, vote);
  return undefined;
}

/** A vote that needs no check: the replica's own, or one restored from a certificate it checked before. */
export function addTrustedVote(set: VoteSet, vote: Vote): void {
  set.checked.set(vote.from, vote);
}

/** Checked votes for `digest`. */
export function checkedFor(set: VoteSet, digest: string): number {
  let n = 0;
  for (const v of set.checked.values()) if (v.digest === digest) n++;
  return n;
}

export const hasQuorum = (set: VoteSet, digest: string): boolean => checkedFor(set, digest) >= set.needed;

/**
 * Checks held votes for `digest`, one at a time in arrival order, until the quorum is complete —
 * and only once enough are held to complete it. The rest are never checked. A vote that fails
 * is dropped, and returned so the caller can say why; another is checked in its place.
 */
export function confirmQuorum(set: VoteSet, digest: string, check: VoteCheck): Vote[] {
  const refused: Vote[] = [];
  let have = checkedFor(set, digest);
  if (have >= set.needed) return refused;
  let held = 0;
  for (const v of set.held.values()) if (v.digest === digest) held++;
  if (have + held < set.needed) return refused;
  for (const [from, vote] of set.held) {
    if (vote.digest !== digest) continue;
    set.held.delete(from);
    if (!check(set.phase, vote)) {
      refused.push(vote);
      continue;
    }
    set.checked.set(from, vote);
    if (++have >= set.needed) return refused;
  }
  return refused;
}

/** The certificate's signatures: the quorum's checked votes for `digest`, lowest replica ids first. */
export function quorumSignatures(set: VoteSet, digest: string): Signed[] {
  return [...set.checked.values()]
    .filter((v) => v.digest === digest)
    .sort((a, b) => a.from - b.from)
    .slice(0, set.needed)
    .map((v) => ({ from: v.from, signature: v.signature }));
}
