import { sha256Hex, taggedBytes, toHex } from './encoding';
import { merkleRoot } from './merkle';
import { transactionLeafHash, type Transaction } from './transaction';
import type { Chain, ReplicaId } from './genesis';

export interface BlockHeader {
  height: number;
  /** Hash of the header at height − 1; the genesis hash for height 1. */
  parentHash: string;
  /** RFC 6962 root over the transactions' leaves, in block order. */
  txRoot: string;
  /** The tree size an inclusion proof is checked against. */
  txCount: number;
  /** The view in which the block was first proposed. */
  view: number;
  proposer: ReplicaId;
  /** ms since the epoch, by the proposer's clock; never earlier than the parent's. */
  timestamp: number;
}

export interface Block {
  header: BlockHeader;
  transactions: Transaction[];
}

/** 2f+1 replicas' signed COMMIT votes for one block: with the genesis keys, anyone can check it. */
export interface CommitCertificate {
  view: number;
  height: number;
  blockHash: string;
  commits: { replica: ReplicaId; signature: string }[];
}

export interface CommittedBlock {
  block: Block;
  certificate: CommitCertificate;
}

// Headers and transaction lists are never changed once built, so hashes are remembered per object.
const headerHashes = new WeakMap<BlockHeader, string>();
const roots = new WeakMap<readonly Transaction[], string>();

export function blockHash(header: BlockHeader): string {
  let hash = headerHashes.get(header);
  if (hash === undefined) headerHashes.set(header, (hash = sha256Hex(taggedBytes('block-header', header))));
  return hash;
}

export function transactionsRoot(transactions: readonly Transaction[]): string {
  let root = roots.get(transactions);
  if (root === undefined) roots.set(transactions, (root = toHex(merkleRoot(transactions.map(transactionLeafHash)))));
  return root;
}

/** The header of height 0: not a block, but what block 1 links to and must not predate. */
export function genesisHeader(chain: Chain): BlockHeader {
  return {
    height: 0,
    parentHash: '',
    txRoot: transactionsRoot([]),
    txCount: 0,
    view: 0,
    proposer: 0,
    timestamp: chain.genesis.createdAt,
  };
}

export function headerHash(chain: Chain, header: BlockHeader): string {
  return header.height === 0 ? chain.genesisHash : blockHash(header);
}

export function makeBlock(fields: Omit<BlockHeader, 'txRoot' | 'txCount'>, transactions: Transaction[]): Block {
  return { header: { ...fields, txRoot: transactionsRoot(transactions), txCount: transactions.length }, transactions };
}

/** What a COMMIT vote signs; the chain format owns it because offline verifiers check certificates. */
export function commitVoteBytes(chain: Chain, vote: { view: number; seq: number; digest: string; from: ReplicaId }): Uint8Array {
  return taggedBytes('commit', { chain: chain.genesisHash, view: vote.view, seq: vote.seq, digest: vote.digest, from: vote.from });
}
