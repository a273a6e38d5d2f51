// The dependency rules (dependency-rules.ts) over the import graph of the tree. The checker
// first proves it can fail: a small tree of its own breaks each rule once, and each break
// must be named with its file, its import and its rule.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEPENDENCY_RULES, describeViolation, violationsOf } from './dependency-rules';
import { compilerOptionsOf, importGraph, sourceFiles } from './import-graph';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// One break of each rule (marked), among imports every rule allows.
const SYNTHETIC_TREE: Record<string, string> = {
  'layers/core/log.ts': `import { format } from 'node:util';\nexport const log = format;\n`,
  'layers/core/db.ts': `import pg from 'pg';\nimport { log } from './log';\nimport { bus } from '../events/bus'; // breaks core-stands-alone\nexport const db = [pg, log, bus];\n`,
  'layers/events/bus.ts': `import { log } from '../core/log';\nexport const bus = log;\nexport type { Paid } from '../../functions/booking/events'; // breaks events-layer-on-core-only\n`,
  'functions/booking/events.ts': `export type Paid = { paymentId: string };\n`,
  'functions/booking/settle.ts': `import type { Paid } from './events';\nimport { bus } from '../../layers/events/bus';\nexport const settle = (p: Paid) => [p, bus];\n`,
  'functions/domains.ts': `export const DOMAINS = ['booking', 'payment'];\n`,
  'functions/payment/start.ts': `import type { Paid } from '../booking/events'; // breaks domains-apart\nimport { log } from '../../layers/core/log';\nimport { later } from './later';\nimport { DOMAINS } from '../domains';\nexport const start = (p: Paid) => [p, log, later, DOMAINS];\n`,
  'functions/payment/later.ts': `export const later = async () => (await import('../../infra/local/runner')).run; // breaks deployed-code-without-tooling\n`,
  'infra/local/runner.ts': `import { settle } from '../../functions/booking/settle';\nexport const run = settle;\n`,
  'infra/local/start.ts': `const { freePort } = require('../../test/support/ports'); // breaks production-without-simulator-or-tests\nexport const start = freePort;\n`,
  'test/support/ports.ts': `export const freePort = () => 0;\n`,
  'test/flow.test.ts': `import { verify } from '../blockchain-nodes/protocol';\nimport { start } from '../functions/payment/start';\nimport { freePort } from './support/ports';\nexport const flow = [verify, start, freePort];\n`,
  'cli/main.ts': `import { verify } from '../blockchain-nodes/protocol';\nexport let check: typeof import('../blockchain-nodes/src/chain/verify').verify = verify; // breaks ledger-protocol-through-its-face\n`,
  'bin/cinema.mjs': `await import('../cli/main.ts');\n`,
  'blockchain-nodes/protocol.ts': `export { verify } from './src/chain/verify';\n`,
  'blockchain-nodes/src/chain/verify.ts': `import { log } from '../../../layers/core/log';\nimport { bus } from '../../../layers/events/bus'; // breaks ledger-cluster-stands-alone\nexport const verify = [log, bus];\n`,
  'blockchain-nodes/src/sim/network.ts': `import { random } from './random';\nimport { verify } from '../chain/verify';\nexport const network = [random, verify];\n`,
  'blockchain-nodes/src/sim/random.ts': `export const random = () => 4;\n`,
  'blockchain-nodes/test/scenarios.test.ts': `import { network } from '../src/sim/network';\nimport { verify } from '../protocol';\nexport const scenario = [network, verify];\n`,
};

describe('the dependency checker', () => {
  const root = mkdtempSync(join(tmpdir(), 'cinema-deps-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(SYNTHETIC_TREE)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const edges = importGraph(root, compilerOptionsOf(root, join(ROOT, 'tsconfig.json')));

  it('reads every kind of import, resolved to our files; packages and built-ins are not ours', () => {
    const edge = (from: string, specifier: string) => edges.find((e) => e.from === from && e.specifier === specifier);
    expect(edge('layers/core/db.ts', '../events/bus')).toMatchObject({ kind: 'import', target: 'layers/events/bus.ts', line: 3 });
    expect(edge('layers/events/bus.ts', '../../functions/booking/events')).toMatchObject({ kind: 'export', target: 'functions/booking/events.ts' });
    expect(edge('functions/payment/start.ts', '../booking/events')).toMatchObject({ kind: 'import type', target: 'functions/booking/events.ts' });
    expect(edge('functions/payment/later.ts', '../../infra/local/runner')).toMatchObject({ kind: 'dynamic import', target: 'infra/local/runner.ts' });
    expect(edge('infra/local/start.ts', '../../test/support/ports')).toMatchObject({ kind: 'require', target: 'test/support/ports.ts' });
    expect(edge('cli/main.ts', '../blockchain-nodes/src/chain/verify')).toMatchObject({ kind: 'import type', target: 'blockchain-nodes/src/chain/verify.ts' });
    expect(edge('bin/cinema.mjs', '../cli/main.ts')).toMatchObject({ kind: 'dynamic import', target: 'cli/main.ts' });
    expect(edge('layers/core/db.ts', 'pg')?.target).toBeUndefined();
    expect(edge('layers/core/log.ts', 'node:util')?.target).toBeUndefined();
  });

  it('names each break with its file, its import and its rule, and nothing else', () => {
    const found = violationsOf(edges).map(({ rule, file, specifier }) => ({ rule, file, specifier }));
    const marked = Object.entries(SYNTHETIC_TREE).flatMap(([file, text]) =>
      text.split('\n').flatMap((line) => {
        const m = /(?:from|import\(|require\()\s*'([^']+)'.*\/\/ breaks (\S+)/.exec(line);
        return m ? [{ rule: m[2], file, specifier: m[1] }] : [];
      }),
    );
    expect(new Set(marked.map((m) => m.rule))).toEqual(new Set(DEPENDENCY_RULES.map((r) => r.name)));
    expect(found).toEqual(expect.arrayContaining(marked));
    expect(found).toHaveLength(marked.length);
    expect(describeViolation(violationsOf(edges).find((v) => v.rule === 'domains-apart')!)).toBe(
      "functions/payment/start.ts:1 imports '../booking/events' (functions/booking/events.ts): breaks domains-apart",
    );
  });

  it('binds `$1` in a rule to what its `from` captured: a domain may import its own modules', () => {
    const own = violationsOf([{ from: 'functions/booking/http/hold.ts', line: 1, specifier: '../holds', kind: 'import', target: 'functions/booking/holds.ts' }]);
    const other = violationsOf([{ from: 'functions/booking/http/hold.ts', line: 1, specifier: '../../catalog/halls', kind: 'import', target: 'functions/catalog/halls.ts' }]);
    expect(own).toEqual([]);
    expect(other.map((v) => v.rule)).toEqual(['domains-apart']);
  });
});

describe('the source tree', () => {
  const edges = importGraph(ROOT);

  it('is read whole: every committed source file, each with the imports it names', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(f) && existsSync(join(ROOT, f)));
    expect(tracked.length).toBeGreaterThan(100);
    expect(sourceFiles(ROOT)).toEqual(expect.arrayContaining(tracked));
    const importing = new Set(edges.map((e) => e.from));
    const silent = tracked.filter((f) => /^\s*(import|export)\b[^;]*\bfrom\s*['"]/m.test(readFileSync(join(ROOT, f), 'utf8')) && !importing.has(f));
    expect(silent).toEqual([]);
    expect(edges.some((e) => e.kind === 'dynamic import' && e.target)).toBe(true);
  });

  it('keeps every dependency rule', () => {
    const violations = violationsOf(edges);
    const broken = DEPENDENCY_RULES.filter((r) => violations.some((v) => v.rule === r.name)).map((r) => `${r.name}: ${r.reason}`);
    expect(violations.map(describeViolation), `rules broken:\n${broken.join('\n')}`).toEqual([]);
  });
});
