import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isQuorum, isWeakQuorum, maxFaulty, quorumSize, weakQuorumSize } from '../src/pbft/quorum';

// The naive versions, by enumeration: f is the most faults n can survive (n ≥ 3f+1), and a
// quorum is the smallest size at which every two sets of that size share f+1 replicas.
function naiveFaulty(n: number): number {
  let f = 0;
  while (3 * (f + 1) + 1 <= n) f++;
  return f;
}

function naiveQuorum(n: number): number {
  const f = naiveFaulty(n);
  const subsets = (size: number) => Array.from({ length: 1 << n }, (_, m) => m).filter((m) => popcount(m) === size);
  for (let q = 1; q <= n; q++) {
    const sets = subsets(q);
    let worst = Infinity;
    for (const a of sets) for (const b of sets) worst = Math.min(worst, popcount(a & b));
    if (worst >= f + 1) return q;
  }
  return n;
}

const popcount = (x: number) => {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
};

const naiveQuorums = new Map<number, number>();
const cachedNaiveQuorum = (n: number) => naiveQuorums.get(n) ?? naiveQuorums.set(n, naiveQuorum(n)).get(n)!;

describe('quorum arithmetic', () => {
  it('equals the enumerated answer for every cluster size up to 9', () => {
    for (let n = 1; n <= 9; n++) {
      expect(maxFaulty(n), `f for n=${n}`).toBe(naiveFaulty(n));
      expect(quorumSize(n), `quorum for n=${n}`).toBe(naiveQuorum(n));
    }
  });

  it('is 2f+1 when n = 3f+1, and f+1 for a weak quorum', () => {
    expect([4, 7, 10, 13].map(quorumSize)).toEqual([3, 5, 7, 9]);
    expect([4, 7, 10, 13].map(weakQuorumSize)).toEqual([2, 3, 4, 5]);
  });

  it('two quorums always share an honest replica, and the honest replicas alone form one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (n) => {
        const f = maxFaulty(n);
        const q = quorumSize(n);
        expect(2 * q - n).toBeGreaterThanOrEqual(f + 1);
        expect(q).toBeLessThanOrEqual(n - f);
        expect(2 * (q - 1) - n).toBeLessThan(f + 1);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('counts distinct voters, so a replica voting twice counts once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(fc.nat(8)), (n, votes) => {
        const voters = votes.filter((v) => v < n);
        const distinct = new Set(voters).size;
        expect(isQuorum(voters, n)).toBe(distinct >= cachedNaiveQuorum(n));
        expect(isWeakQuorum(voters, n)).toBe(distinct >= naiveFaulty(n) + 1);
      }),
      { seed: 4, numRuns: 300 },
    );
  });
});
