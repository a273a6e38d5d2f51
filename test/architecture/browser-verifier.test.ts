// The verifier an auditor's browser runs is the one the CLI runs: the web app bundles
// blockchain-nodes/verifier.ts and the booking-proof check (functions/ledger/proof.ts) as they
// are. So nothing they import, however indirectly, may be a Node built-in or a package a
// browser cannot run; the check proves it can fail on protocol.ts, which pulls in Node.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph, type ImportEdge } from './import-graph';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BROWSER_PACKAGES = /^@noble\/(secp256k1|hashes)(\/|$)/;

/** Every import outside our tree (built-ins and packages) reached from `entry`, with the file that names it. */
function foreignImportsOf(edges: ImportEdge[], entry: string): { from: string; specifier: string }[] {
  const byFile = new Map<string, ImportEdge[]>();
  for (const e of edges) byFile.set(e.from, [...(byFile.get(e.from) ?? []), e]);
  const seen = new Set<string>();
  const foreign: { from: string; specifier: string }[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const e of byFile.get(file) ?? []) {
      if (e.kind === 'import type') continue; // erased from the bundle
      if (e.target) visit(e.target);
      else foreign.push({ from: file, specifier: e.specifier });
    }
  };
  visit(entry);
  return foreign;
}

describe('the verifier the browser bundles', () => {
  const edges = importGraph(ROOT);
  const notForBrowsers = (entry: string) => foreignImportsOf(edges, entry).filter((i) => !BROWSER_PACKAGES.test(i.specifier));

  it('imports no Node module and no package but noble\'s, however indirectly', () => {
    expect(notForBrowsers('blockchain-nodes/verifier.ts')).toEqual([]);
    expect(notForBrowsers('functions/ledger/proof.ts')).toEqual([]);
  });

  it('(the check sees Node modules where they are: the Node face of the protocol)', () => {
    expect(notForBrowsers('blockchain-nodes/protocol.ts').map((i) => i.specifier)).toEqual(expect.arrayContaining(['node:crypto', 'pg']));
  });
});
