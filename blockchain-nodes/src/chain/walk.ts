// Verifying a chain page by page against genesis, trusting nothing the source says: parent
// links, Merkle roots and counts, every transaction's signature and registration, no id
// committed twice, and each commit certificate against the genesis keys. The first bad block is
// named with the reason. A source is a replica's HTTP API or database (runtime/verify.ts) or,
// in an auditor's browser, fetch (the web app's explorer): the same walk either way.
import { defaultVerifier, type Verifier } from './crypto';
import { blockHash, type BlockHeader, type CommittedBlock } from './block';
import type { Chain, Genesis } from './genesis';
import { chainOf, verifyCommittedBlock, type ChainVerdict } from './verify';

/** One entry of a source: a block, or why the source could not give a well-formed one at that height. */
export type SourceEntry = { height: number; committed: CommittedBlock } | { height: number; problem: string };

/** Pages of consecutive entries from height 1; `claimedHeight` is what the source says it holds. */
export interface BlockSource {
  describe: string;
  claimedHeight(): Promise<number | undefined>;
  page(from: number, limit: number): Promise<SourceEntry[]>;
  close(): Promise<void>;
}

export interface VerifyReport {
  verdict: ChainVerdict;
  transactions: number;
  claimedHeight?: number;
}

export async function verifySource(
  genesis: Genesis | Chain,
  source: BlockSource,
  options: { verify?: Verifier; pageSize?: number; onProgress?: (height: number) => void } = {},
): Promise<VerifyReport> {
  const chain = chainOf(genesis);
  const verify = options.verify ?? defaultVerifier;
  const pageSize = options.pageSize ?? 200;
  const claimedHeight = await source.claimedHeight();
  const seen = new Set<string>();
  let parent: BlockHeader | null = null;
  let height = 0;
  const fail = (at: number, reason: string): VerifyReport => ({ verdict: { ok: false, height: at, reason }, transactions: seen.size, claimedHeight });
  for (;;) {
    const entries = await source.page(height + 1, pageSize);
    if (entries.length === 0) break;
    for (const entry of entries) {
      const expected = height + 1;
      if (entry.height !== expected) return fail(expected, entry.height > expected ? `block ${expected} is missing (the next stored is ${entry.height})` : `block ${entry.height} appears twice`);
      if ('problem' in entry) return fail(expected, entry.problem);
      const { block, certificate } = entry.committed;
      if (block?.header?.height !== expected) return fail(expected, `the block stored at height ${expected} says height ${String(block?.header?.height)}`);
      const verdict = verifyCommittedBlock(chain, parent, block, certificate, verify);
      if (!verdict.ok) return fail(expected, verdict.reason);
      for (const tx of block.transactions) {
        if (seen.has(tx.id)) return fail(expected, `transaction ${tx.id} was already committed`);
        seen.add(tx.id);
      }
      parent = block.header;
      height = expected;
    }
    options.onProgress?.(height);
    if (entries.length < pageSize) break;
  }
  if (claimedHeight !== undefined && claimedHeight > height) return fail(height + 1, `the source says it holds ${claimedHeight} blocks but gave ${height}`);
  return { verdict: { ok: true, height, headHash: parent ? blockHash(parent) : chain.genesisHash }, transactions: seen.size, claimedHeight };
}
