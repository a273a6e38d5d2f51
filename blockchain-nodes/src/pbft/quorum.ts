// Quorum arithmetic, kept apart so it can be checked against brute force. With n replicas of
// which at most f are Byzantine, any two quorums must share f+1 replicas (so at least one honest
// replica saw both), and n-f replicas must still form a quorum when f stay silent.

/** Most Byzantine replicas n can tolerate: n ≥ 3f + 1. */
export const maxFaulty = (n: number): number => Math.floor((n - 1) / 3);

/** Smallest q with 2q − n ≥ f + 1 (2f + 1 when n = 3f + 1). */
export const quorumSize = (n: number): number => Math.floor((n + maxFaulty(n)) / 2) + 1;

/** f + 1: enough that at least one of them is honest. */
export const weakQuorumSize = (n: number): number => maxFaulty(n) + 1;

/** Counts distinct voters: a replica voting twice is one vote. */
export function distinctVoters(voters: Iterable<number>): number {
  return new Set(voters).size;
}

export const isQuorum = (voters: Iterable<number>, n: number): boolean => distinctVoters(voters) >= quorumSize(n);
export const isWeakQuorum = (voters: Iterable<number>, n: number): boolean => distinctVoters(voters) >= weakQuorumSize(n);
