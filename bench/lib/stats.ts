// Shared helpers for benchmarks: the machine is shared and noisy, so every figure is a
// median over repeated samples and is reported beside a baseline measured in the same run.

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (samples: number[]) => percentile(samples, 50);

/** Runs `fn` `rounds` times and returns each round's result (e.g. a rate), for a median. */
export async function repeat<T>(rounds: number, fn: (round: number) => Promise<T> | T): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < rounds; i++) out.push(await fn(i));
  return out;
}

/** What a timed round did: each step's result, and how long the round took in seconds. */
export interface Timed<T> {
  steps: T[];
  seconds: number;
}

/** Repeats `step` until `seconds` have passed (at least once): a round long enough to mean something on any machine. */
export async function forSeconds<T>(seconds: number, step: (i: number) => Promise<T>): Promise<Timed<T>> {
  const steps: T[] = [];
  const t0 = performance.now();
  const budget = seconds * 1000;
  do steps.push(await step(steps.length));
  while (performance.now() - t0 < budget);
  return { steps, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Runs every subject once unmeasured (the warm-up: connections, JIT, caches), then `rounds`
 * rounds of them in turn — A B A B … — so that a slow spell of the shared machine falls on
 * the baseline and the subject alike. Returns each subject's measured rounds, for medians.
 */
export async function interleaved<K extends string, T>(rounds: number, subjects: Record<K, (round: number) => Promise<T>>, onRound?: (name: K, round: number, result: T) => void): Promise<Record<K, T[]>> {
  const names = Object.keys(subjects) as K[];
  const out = Object.fromEntries(names.map((n) => [n, [] as T[]])) as Record<K, T[]>;
  for (const name of names) await subjects[name](-1);
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const result = await subjects[name](round);
      out[name].push(result);
      onRound?.(name, round, result);
    }
  }
  return out;
}

/** How a bench names a round of `interleaved` in what it prints: round -1 is the warm-up. */
export const roundName = (round: number) => (round < 0 ? 'the warm-up round' : `round ${round + 1}`);

/** Operations per second of a synchronous body, measured for about `ms` milliseconds. */
export function opsPerSecond(body: (i: number) => void, ms = 300): number {
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let n = 0;
  let elapsed = 0n;
  do {
    for (let k = 0; k < 16; k++) body(n++);
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budget);
  return n / (Number(elapsed) / 1e9);
}

export interface Row {
  figure: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
}

const fmt = (x: number) =>
  !Number.isFinite(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);

/** Prints a markdown table: figure, median, baseline, ratio — ready to paste into README. */
export function printTable(title: string, rows: Row[]): void {
  console.log(`\n### ${title}\n`);
  console.log('| figure | median | baseline (same run) | ratio |');
  console.log('|---|---|---|---|');
  for (const r of rows) {
    const base = r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)} ${r.unit}` : '—';
    const ratio = r.baseline ? (r.value / r.baseline.value).toFixed(2) : '—';
    console.log(`| ${r.figure} | ${fmt(r.value)} ${r.unit} | ${base} | ${ratio} |`);
  }
}

/** When each awaited id arrived (e.g. a consumer saw its message), and a promise per id for the moment it does. */
export function arrivals() {
  const at = new Map<string, number>();
  const waiting = new Map<string, (t: number) => void>();
  return {
    at,
    arrive(id: string) {
      if (at.has(id)) return; // a redelivery: the first arrival is the one that counts
      const t = performance.now();
      at.set(id, t);
      waiting.get(id)?.(t);
      waiting.delete(id);
    },
    /** Resolves with the arrival time of `id` (at once if it already came). */
    of(id: string): Promise<number> {
      const t = at.get(id);
      return t !== undefined ? Promise.resolve(t) : new Promise((resolve) => waiting.set(id, resolve));
    },
  };
}
