import { defaultVerifier, type Verifier } from './crypto';
import { fromHex, isHex, toHex } from './encoding';
import { inclusionProof, verifyInclusion } from './merkle';
import { openChain, type Chain, type Genesis } from './genesis';
import { blockHash, commitVoteBytes, genesisHeader, headerHash, transactionsRoot, type Block, type BlockHeader, type CommitCertificate, type CommittedBlock } from './block';
import { transactionLeafHash, transactionProblem, type Transaction } from './transaction';

// Checks that need nothing but the genesis: an auditor, a lagging replica and a client holding
// a receipt all use these, and none of them has to trust the node that handed over the data.

export type Verdict = { ok: true } | { ok: false; reason: string };

const opened = new WeakMap<Genesis, Chain>();
/** Accepts a genesis document or an already opened chain. */
export function chainOf(source: Genesis | Chain): Chain {
  if ('genesisHash' in source) return source;
  let chain = opened.get(source);
  if (!chain) opened.set(source, (chain = openChain(source)));
  return chain;
}

const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

export function headerShapeProblem(chain: Chain, header: unknown): string | null {
  if (typeof header !== 'object' || header === null) return 'header is not an object';
  const h = header as Record<string, unknown>;
  if (Object.keys(h).length !== 7) return 'header has unexpected fields';
  if (!isCount(h.height) || h.height < 1) return 'height is not a positive integer';
  if (!isHex(h.parentHash, 32)) return 'parent hash is not 32 bytes of hex';
  if (!isHex(h.txRoot, 32)) return 'transaction root is not 32 bytes of hex';
  if (!isCount(h.txCount)) return 'transaction count is not a count';
  if (!isCount(h.view)) return 'view is not a count';
  if (!isCount(h.proposer) || h.proposer >= chain.n) return 'proposer is not a replica';
  if (!isCount(h.timestamp)) return 'timestamp is not a time';
  return null;
}

/** The block's own consistency: header shape, Merkle root, count. Signatures are not checked here. */
export function blockBodyProblem(chain: Chain, block: Block): string | null {
  if (typeof block !== 'object' || block === null || !Array.isArray(block.transactions)) return 'block is malformed';
  const shape = headerShapeProblem(chain, block.header);
  if (shape) return shape;
  if (block.transactions.length !== block.header.txCount) return 'transaction count does not match the header';
  if (block.transactions.length > chain.rules.maxBlockTransactions) return 'too many transactions';
  let root: string;
  try {
    root = transactionsRoot(block.transactions);
  } catch {
    return 'a transaction has no canonical form';
  }
  if (root !== block.header.txRoot) return 'transaction root does not match the transactions';
  return null;
}

export function certificateProblem(chain: Chain, header: BlockHeader, certificate: CommitCertificate, verify: Verifier): string | null {
  if (typeof certificate !== 'object' || certificate === null || !Array.isArray(certificate.commits)) return 'certificate is malformed';
  if (certificate.height !== header.height) return 'certificate is for another height';
  if (certificate.blockHash !== blockHash(header)) return 'certificate is for another block';
  if (!isCount(certificate.view)) return 'certificate view is not a count';
  const signers = new Set<number>();
  for (const { replica, signature } of certificate.commits) {
    if (!isCount(replica) || replica >= chain.n) return `commit from unknown replica ${replica}`;
    if (signers.has(replica)) return `replica ${replica} counted twice`;
    const bytes = commitVoteBytes(chain, { view: certificate.view, seq: certificate.height, digest: certificate.blockHash, from: replica });
    if (!verify(chain.replicaKeys[replica], bytes, signature)) return `commit signature of replica ${replica} does not verify`;
    signers.add(replica);
  }
  if (signers.size < chain.quorum) return `${signers.size} commits, ${chain.quorum} needed`;
  return null;
}

/**
 * Everything a lagging replica checks before appending a block it fetched: it extends `parent`
 * (null: genesis), its root matches, every transaction is signed by a registered submitter, and
 * a quorum committed it. Duplicates against earlier blocks are the caller's to check; it holds
 * the ids.
 */
export function verifyCommittedBlock(
  genesis: Genesis | Chain,
  parent: BlockHeader | null,
  block: Block,
  certificate: CommitCertificate,
  verify: Verifier = defaultVerifier,
): Verdict {
  const chain = chainOf(genesis);
  const body = blockBodyProblem(chain, block);
  if (body) return { ok: false, reason: body };
  const parentHeader = parent ?? genesisHeader(chain);
  const h = block.header;
  if (h.height !== parentHeader.height + 1) return { ok: false, reason: `height ${h.height} does not follow ${parentHeader.height}` };
  if (h.parentHash !== headerHash(chain, parentHeader)) return { ok: false, reason: 'parent hash does not link to the previous block' };
  if (h.timestamp < parentHeader.timestamp) return { ok: false, reason: 'timestamp is earlier than the parent' };
  const ids = new Set<string>();
  for (const tx of block.transactions) {
    const problem = transactionProblem(chain, tx, verify);
    if (problem) return { ok: false, reason: `transaction ${String(tx?.id)}: ${problem}` };
    if (ids.has(tx.id)) return { ok: false, reason: `transaction ${tx.id} appears twice` };
    ids.add(tx.id);
  }
  const cert = certificateProblem(chain, h, certificate, verify);
  return cert ? { ok: false, reason: cert } : { ok: true };
}

export type ChainVerdict = { ok: true; height: number; headHash: string } | { ok: false; height: number; reason: string };

/** Walks the chain from genesis; names the first bad block (its height) and why. */
export function verifyChain(genesis: Genesis | Chain, blocks: readonly CommittedBlock[], verify: Verifier = defaultVerifier): ChainVerdict {
  const chain = chainOf(genesis);
  let parent: BlockHeader | null = null;
  const seen = new Set<string>();
  for (let i = 0; i < blocks.length; i++) {
    const expected = i + 1;
    const entry = blocks[i];
    const verdict = verifyCommittedBlock(chain, parent, entry?.block, entry?.certificate, verify);
    if (!verdict.ok) return { ok: false, height: expected, reason: verdict.reason };
    for (const tx of entry.block.transactions) {
      if (seen.has(tx.id)) return { ok: false, height: expected, reason: `transaction ${tx.id} was already committed` };
      seen.add(tx.id);
    }
    parent = entry.block.header;
  }
  return { ok: true, height: blocks.length, headHash: parent ? blockHash(parent) : chain.genesisHash };
}

/** A receipt for one transaction: checkable offline against the genesis keys alone. */
export interface TransactionProof {
  transaction: Transaction;
  index: number;
  /** Sibling hashes, leaf to root (RFC 6962 PATH). */
  path: string[];
  header: BlockHeader;
  certificate: CommitCertificate;
}

export function buildInclusionProof(committed: CommittedBlock, transactionId: string): TransactionProof {
  const { block, certificate } = committed;
  const index = block.transactions.findIndex((tx) => tx.id === transactionId);
  if (index < 0) throw new Error(`transaction ${transactionId} is not in block ${block.header.height}`);
  const leaves = block.transactions.map(transactionLeafHash);
  return {
    transaction: block.transactions[index],
    index,
    path: inclusionProof(leaves, index).map(toHex),
    header: block.header,
    certificate,
  };
}

export function verifyTransactionProof(genesis: Genesis | Chain, proof: TransactionProof, verify: Verifier = defaultVerifier): Verdict {
  const chain = chainOf(genesis);
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.path)) return { ok: false, reason: 'proof is malformed' };
  const shape = headerShapeProblem(chain, proof.header);
  if (shape) return { ok: false, reason: shape };
  const txProblem = transactionProblem(chain, proof.transaction, verify);
  if (txProblem) return { ok: false, reason: `transaction: ${txProblem}` };
  if (!proof.path.every((h) => isHex(h, 32))) return { ok: false, reason: 'path holds something other than 32-byte hashes' };
  const included = verifyInclusion(
    transactionLeafHash(proof.transaction),
    proof.index,
    proof.header.txCount,
    proof.path.map(fromHex),
    fromHex(proof.header.txRoot),
  );
  if (!included) return { ok: false, reason: 'inclusion path does not lead to the block\'s transaction root' };
  const cert = certificateProblem(chain, proof.header, proof.certificate, verify);
  return cert ? { ok: false, reason: cert } : { ok: true };
}
