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
