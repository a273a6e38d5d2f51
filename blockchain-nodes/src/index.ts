// What the replica runtime, the ledger functions and the offline verifier build on. The
// simulation under src/sim is test tooling and stays out of this list.

export { canonicalJson, sha256, sha256Hex, toHex, fromHex, taggedBytes, type Json } from './chain/encoding';
export {
  countingVerifier,
  defaultVerifier,
  generateKeyPair,
  publicKeyOf,
  secp256k1Signer,
  verifyFast,
  verifyWithNoble,
  type KeyPair,
  type Signer,
  type Verifier,
} from './chain/crypto';
export { consistencyProof, inclusionProof, leafHash, merkleRoot, nodeHash, verifyConsistency, verifyInclusion, EMPTY_TREE_ROOT } from './chain/merkle';
export { defaultRules, genesisProblems, openChain, primaryOf, type Chain, type ConsensusRules, type Genesis, type ReplicaId, type ReplicaInfo, type SubmitterInfo } from './chain/genesis';
export { signTransaction, transactionHash, transactionProblem, transactionSigningBytes, type Transaction, type UnsignedTransaction } from './chain/transaction';
export { blockHash, genesisHeader, makeBlock, transactionsRoot, type Block, type BlockHeader, type CommitCertificate, type CommittedBlock } from './chain/block';
export {
  buildInclusionProof,
  chainOf,
  verifyChain,
  verifyCommittedBlock,
  verifyTransactionProof,
  type ChainVerdict,
  type TransactionProof,
  type Verdict,
} from './chain/verify';
export { isQuorum, isWeakQuorum, maxFaulty, quorumSize, weakQuorumSize } from './pbft/quorum';
export type { Checkpoint, Commit, Message, NewView, PrePrepare, Prepare, PreparedCertificate, StableCheckpoint, Status, ViewChange } from './pbft/messages';
export { planNewView, newViewProblem, viewChangeProblem } from './pbft/view-change';
export {
  createReplica,
  defaultTiming,
  type CatchUpRequest,
  type Input,
  type Outbound,
  type PersistRecord,
  type RecoveredState,
  type Rejection,
  type ReplicaConfig,
  type ReplicaCore,
  type ReplicaState,
  type StepOutput,
  type Timing,
} from './pbft/replica';
