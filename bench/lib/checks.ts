// What a benchmark owes its table: checks that can fail, and waits that end. A figure from a
// run that went wrong is no figure, so a bench prints WRONG beside what it found and exits 1;
// a wait that runs out, or any error, exits 1 too.

export interface Checks {
  /** Records one check: `what` says what was found, `ok` whether it is what the run must give. */
  expect(ok: boolean, what: string): boolean;
  readonly wrong: number;
}

/** Rejects when `promise` has not settled within `ms`: no wait of a bench is without a deadline. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `probe` until it returns true; false if `ms` ran out first (the caller's check then says WRONG). */
export async function settles(probe: () => Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Runs a bench: its body prints the table and records its checks; then the checks are
 * printed, and the process exits 1 if one was WRONG or the body threw, 0 otherwise.
 */
export async function runBench(body: (checks: Checks) => Promise<void>): Promise<never> {
  const lines: string[] = [];
  let wrong = 0;
  const checks: Checks = {
    expect(ok, what) {
      lines.push(`- ${what}: ${ok ? 'correct' : 'WRONG'}`);
      if (!ok) wrong++;
      return ok;
    },
    get wrong() {
      return wrong;
    },
  };
  let failure: unknown;
  try {
    await body(checks);
  } catch (err) {
    failure = err;
  }
  if (lines.length) console.log('\nCorrectness:\n' + lines.join('\n'));
  if (failure !== undefined) {
    console.error('\nThe bench failed:', failure);
    process.exit(1);
  }
  if (wrong) console.error(`\n${wrong} check${wrong > 1 ? 's' : ''} WRONG: the figures above do not count`);
  process.exit(wrong ? 1 : 0);
}
