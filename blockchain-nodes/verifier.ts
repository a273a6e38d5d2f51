// The ledger's verifier, and nothing else: what an auditor needs to check a chain or a
// booking's proof against a genesis, trusting no replica. It imports no Node module, so the
// web app bundles this very code for the explorer (web/build.ts) while `cinema chain verify`
// and `cinema proof verify` run it in Node through protocol.ts, with native crypto installed.
export { canonicalJson, sha256Hex, taggedBytes, utf8, type Json } from './src/chain/encoding';
export { countingVerifier, defaultVerifier, verifyWithNoble, type Verifier } from './src/chain/crypto';
export { genesisProblems, type Genesis } from './src/chain/genesis';
export { blockHash, type BlockHeader, type CommittedBlock, type CommitCertificate } from './src/chain/block';
export { transactionHash, type Transaction } from './src/chain/transaction';
export { chainOf, verifyChain, verifyTransactionProof, type ChainVerdict, type TransactionProof } from './src/chain/verify';
export { verifySource, type BlockSource, type SourceEntry, type VerifyReport } from './src/chain/walk';
