// Who may import whom, as data: each rule names the importing files it is about (`from`,
// less `fromNot`), the files of ours they must not import (`to`, less `toNot`), and why.
// Patterns are regular expressions over paths relative to the repository root; in `to` and
// `toNot`, `$1`, `$2`… stand for what `from`'s groups captured in the importing file's path.
// Type-only imports count: a type from another domain couples the two as much as a value.
import type { ImportEdge } from './import-graph';

export interface DependencyRule {
  name: string;
  reason: string;
  from: string;
  fromNot?: string[];
  to: string;
  toNot?: string[];
}

// Test code: test folders anywhere, *.test.* files, the benchmarks and the soak.
const TEST_CODE = ['(^|/)test/', '\\.test\\.[cm]?[jt]sx?$', '^bench/', '^soak/'];

export const DEPENDENCY_RULES: DependencyRule[] = [
  {
    name: 'core-stands-alone',
    reason: 'layers/core (config, log, db, errors, migrate, http) is in every function and in the ledger cluster; it may use node built-ins and packages only, never a domain, an adapter or a tool of ours',
    from: '^layers/core/',
    to: '.',
    toNot: ['^layers/core/'],
  },
  {
    name: 'domains-apart',
    reason: 'a domain owns its database and its rules; what another domain needs travels in events (layers/contracts) or through an explicit call, never through its modules',
    from: '^functions/([^/]+)/',
    // a domain's folder; files beside the folders (functions/domains.ts) are shared ground
    to: '^functions/[^/]+/',
    toNot: ['^functions/$1/'],
  },
  {
    name: 'deployed-code-without-tooling',
    reason: 'functions/ and layers/ are what is bundled and uploaded; the local runner and deployment (infra/), the command line (cli/), benchmarks and tests stay out of the bundles',
    from: '^(functions|layers)/',
    // test code may use the shared test support and the application's contracts
    fromNot: TEST_CODE,
    to: '^(infra|cli|bench|test)/',
  },
  {
    name: 'production-without-simulator-or-tests',
    reason: 'the PBFT simulator (blockchain-nodes/src/sim) and test folders are test tooling: production code that imports them ships test code and can break when a test changes',
    from: '.',
    // the simulator is test tooling itself, so its own files may import each other
    fromNot: [...TEST_CODE, '^blockchain-nodes/src/sim/'],
    to: '^blockchain-nodes/src/sim/|(^|/)test/|\\.test\\.[cm]?[jt]sx?$',
  },
  {
    name: 'ledger-protocol-through-its-face',
    reason: 'blockchain-nodes/protocol.ts is the one public face of the ledger protocol (chain format, crypto, Merkle, genesis, transaction, block, verification); the cluster may reorganise blockchain-nodes/src freely behind it',
    from: '.',
    fromNot: ['^blockchain-nodes/'],
    to: '^blockchain-nodes/src/',
  },
  {
    name: 'ledger-cluster-stands-alone',
    reason: 'the PBFT replicas are a program of their own, deployed apart from the functions; of ours they may share layers/core only',
    from: '^blockchain-nodes/',
    // test code may use the shared test support and the application's contracts
    fromNot: TEST_CODE,
    to: '.',
    toNot: ['^blockchain-nodes/', '^layers/core/'],
  },
  {
    name: 'events-layer-on-core-only',
    reason: 'layers/events (envelope, bus port, adapters, outbox, inbox) is shared plumbing under every domain; it may build on layers/core only, and the topology and event types it carries are given to it',
    from: '^layers/events/',
    // test code may use the shared test support and the application's contracts
    fromNot: TEST_CODE,
    to: '.',
    toNot: ['^layers/events/', '^layers/core/'],
  },
];

export interface Violation {
  rule: string;
  reason: string;
  file: string;
  line: number;
  specifier: string;
  target: string;
}

/** Every import of ours that breaks a rule, in file order. */
export function violationsOf(edges: ImportEdge[], rules: DependencyRule[] = DEPENDENCY_RULES): Violation[] {
  const out: Violation[] = [];
  for (const edge of edges) {
    if (edge.target === undefined) continue;
    for (const rule of rules) {
      const captured = new RegExp(rule.from).exec(edge.from);
      if (!captured || rule.fromNot?.some((p) => new RegExp(p).test(edge.from))) continue;
      const pattern = (p: string) => new RegExp(p.replace(/\$(\d)/g, (_, i: string) => escapeRegExp(captured[Number(i)] ?? '')));
      if (!pattern(rule.to).test(edge.target) || rule.toNot?.some((p) => pattern(p).test(edge.target!))) continue;
      out.push({ rule: rule.name, reason: rule.reason, file: edge.from, line: edge.line, specifier: edge.specifier, target: edge.target });
    }
  }
  return out;
}

/** One line per violation: where, what it imports, which rule it breaks. */
export const describeViolation = (v: Violation) => `${v.file}:${v.line} imports '${v.specifier}' (${v.target}): breaks ${v.rule}`;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
