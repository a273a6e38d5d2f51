import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drawSchedule, families, runSchedule, type Family } from '../src/sim/schedule';

// Safety, validity and liveness over seeded hostile schedules (src/sim/schedule.ts draws
// them): at most f Byzantine replicas of each kind we model, a network that drops,
// duplicates, delays, reorders and partitions until it heals, crashed and Byzantine
// primaries, and targeted loss that makes view changes contested.
//
//   PBFT_SCHEDULES=5000 npx vitest run blockchain-nodes/test/properties.test.ts   more schedules per cluster size
//   PBFT_REPLAY=7:123456 npx vitest run blockchain-nodes/test/properties.test.ts  one schedule again, traced
//
// Every tenth schedule signs with real secp256k1; the rest use the ideal signature scheme
// (src/sim/signatures.ts), which is what makes thousands of schedules affordable.

const SCHEDULES = Number(process.env.PBFT_SCHEDULES ?? 60);
const REAL_CRYPTO_EVERY = 10;
const replay = process.env.PBFT_REPLAY?.split(':').map(Number);

interface Totals {
  schedules: number;
  realCrypto: number;
  byFamily: Record<Family, number>;
  faults: Record<string, number>;
  viewChanges: number;
  contestedNewViews: number;
  transactions: number;
  violations: number;
}

function runMany(n: number, count: number): Totals {
  const totals: Totals = {
    schedules: 0,
    realCrypto: 0,
    byFamily: Object.fromEntries(families.map((f) => [f, 0])) as Record<Family, number>,
    faults: {},
    viewChanges: 0,
    contestedNewViews: 0,
    transactions: 0,
    violations: 0,
  };
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const crypto = seed % REAL_CRYPTO_EVERY === 0 ? 'secp256k1' : 'ideal';
      const result = runSchedule(drawSchedule(n, seed, crypto));
      totals.schedules++;
      if (crypto === 'secp256k1') totals.realCrypto++;
      totals.byFamily[result.schedule.family]++;
      for (const [fault, k] of Object.entries(result.faults)) totals.faults[fault] = (totals.faults[fault] ?? 0) + k;
      totals.faults['network:dropped'] = (totals.faults['network:dropped'] ?? 0) + result.network.dropped;
      totals.faults['network:cut'] = (totals.faults['network:cut'] ?? 0) + result.network.cut;
      totals.faults['network:duplicated'] = (totals.faults['network:duplicated'] ?? 0) + result.network.duplicated;
      totals.viewChanges += result.viewChanges;
      totals.contestedNewViews += result.contestedNewViews;
      totals.transactions += result.transactions;
      if (result.violations.length === 0) return;
      totals.violations += result.violations.length;
      throw new Error(
        `${result.summary}\n  ${[...new Set(result.violations)].slice(0, 5).join('\n  ')}\n` +
          `  replay: PBFT_REPLAY=${n}:${seed} npx vitest run blockchain-nodes/test/properties.test.ts`,
      );
    }),
    // A fixed fast-check seed: the same schedules on every run. No shrinking: a nearby seed is a different world.
    { seed: 0x5eed + n, numRuns: count, endOnFailure: true },
  );
  return totals;
}

function summarize(n: number, totals: Totals): string {
  const injected = Object.entries(totals.faults).filter(([k]) => !k.startsWith('replica:')).reduce((sum, [, k]) => sum + k, 0);
  const faulty = Object.entries(totals.faults).filter(([k]) => k.startsWith('replica:')).map(([k, v]) => `${k.slice(8)} ${v}`).join(', ');
  return [
    `n=${n}: ${totals.schedules} schedules (${totals.realCrypto} with secp256k1), ${totals.transactions} transactions, ${totals.violations} violations`,
    `  families: ${Object.entries(totals.byFamily).map(([f, k]) => `${f} ${k}`).join(', ')}`,
    `  faulty replicas: ${faulty}`,
    `  faults injected: ${injected} (${Object.entries(totals.faults).filter(([k]) => !k.startsWith('replica:')).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `  view changes: ${totals.viewChanges}, new views over conflicting prepared blocks: ${totals.contestedNewViews}`,
  ].join('\n');
}

// One mode or the other: the seeded run, or (PBFT_REPLAY=n:seed) one schedule with its trace.
if (replay === undefined) describe('PBFT under seeded hostile schedules', () => {
  for (const n of [4, 7]) {
    it(`n = ${n}: no two honest replicas commit different blocks, only valid transactions commit (once), and all commit after the heal`, () => {
      const totals = runMany(n, SCHEDULES);
      console.log(summarize(n, totals));
      expect(totals.violations).toBe(0);
      expect(totals.schedules).toBe(SCHEDULES);
    }, Math.max(60_000, SCHEDULES * 600));
  }
});

else describe('replaying one schedule', () => {
  it(`PBFT_REPLAY=${process.env.PBFT_REPLAY}`, () => {
    const [n, seed] = replay!;
    const result = runSchedule(drawSchedule(n, seed, seed % REAL_CRYPTO_EVERY === 0 ? 'secp256k1' : 'ideal'), { trace: true });
    console.log(`${result.summary}\n${result.simulation.trace.join('\n')}\n${result.violations.join('\n') || 'no violations'}`);
    expect(result.violations).toEqual([]);
  });
});
