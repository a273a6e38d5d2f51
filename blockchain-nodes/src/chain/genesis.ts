import { isCompressedPublicKey } from './crypto';
import { sha256Hex, taggedBytes } from './encoding';
import { maxFaulty, quorumSize } from '../pbft/quorum';

export type ReplicaId = number;

export interface ReplicaInfo {
  /** Equal to the replica's position in the list: the primary of view v is replica v mod n. */
  id: ReplicaId;
  address: string;
  publicKey: string;
}

export interface SubmitterInfo {
  /** The service that submits, e.g. "ledger"; for people reading the config. */
  name: string;
  publicKey: string;
}

/** Protocol constants every replica must share, or they would disagree on what is valid. */
export interface ConsensusRules {
  /** A checkpoint every K blocks. */
  checkpointInterval: number;
  /** Sequence numbers accepted above the stable checkpoint (the high watermark is low + window). */
  watermarkWindow: number;
  /** Most transactions a block may carry. */
  maxBlockTransactions: number;
  /** How far ahead of a replica's clock a proposed block's timestamp may be, in ms. */
  maxClockSkew: number;
}

export interface Genesis {
  chainName: string;
  /** ms since the epoch; the timestamp of height 0. */
  createdAt: number;
  replicas: ReplicaInfo[];
  submitters: SubmitterInfo[];
  rules: ConsensusRules;
}

export const defaultRules: ConsensusRules = {
  checkpointInterval: 16,
  watermarkWindow: 64,
  maxBlockTransactions: 256,
  maxClockSkew: 30_000,
};

/** Genesis facts derived once, so no hot path recomputes them. */
export interface Chain {
  genesis: Genesis;
  /** Parent hash of block 1; also names the chain inside every signed message. */
  genesisHash: string;
  n: number;
  f: number;
  quorum: number;
  replicaKeys: readonly string[];
  submitters: ReadonlySet<string>;
  rules: ConsensusRules;
}

export function genesisProblems(genesis: Genesis): string[] {
  const problems: string[] = [];
  const { replicas, submitters, rules } = genesis;
  if (!Array.isArray(replicas) || replicas.length === 0) problems.push('no replicas');
  else {
    replicas.forEach((r, i) => {
      if (r.id !== i) problems.push(`replica at position ${i} has id ${r.id}`);
      if (!isCompressedPublicKey(r.publicKey)) problems.push(`replica ${i} public key is not a compressed secp256k1 key`);
    });
    if (new Set(replicas.map((r) => r.publicKey)).size !== replicas.length) problems.push('two replicas share a key');
  }
  if (!Array.isArray(submitters)) problems.push('no submitter list');
  else submitters.forEach((s) => isCompressedPublicKey(s.publicKey) || problems.push(`submitter ${s.name} key is not a compressed secp256k1 key`));
  if (!Number.isSafeInteger(genesis.createdAt) || genesis.createdAt < 0) problems.push('createdAt is not a time');
  const k = rules?.checkpointInterval;
  if (!Number.isSafeInteger(k) || k < 1) problems.push('checkpointInterval must be a positive integer');
  else if (!Number.isSafeInteger(rules.watermarkWindow) || rules.watermarkWindow < k || rules.watermarkWindow % k !== 0)
    problems.push('watermarkWindow must be a positive multiple of checkpointInterval');
  if (!Number.isSafeInteger(rules?.maxBlockTransactions) || rules.maxBlockTransactions < 1) problems.push('maxBlockTransactions must be positive');
  if (!Number.isSafeInteger(rules?.maxClockSkew) || rules.maxClockSkew < 0) problems.push('maxClockSkew must be a non-negative integer');
  return problems;
}

export function openChain(genesis: Genesis): Chain {
  const problems = genesisProblems(genesis);
  if (problems.length) throw new Error(`invalid genesis: ${problems.join('; ')}`);
  const n = genesis.replicas.length;
  return {
    genesis,
    genesisHash: sha256Hex(taggedBytes('genesis', genesis)),
    n,
    f: maxFaulty(n),
    quorum: quorumSize(n),
    replicaKeys: genesis.replicas.map((r) => r.publicKey),
    submitters: new Set(genesis.submitters.map((s) => s.publicKey)),
    rules: genesis.rules,
  };
}

export const primaryOf = (chain: Chain, view: number): ReplicaId => view % chain.n;
