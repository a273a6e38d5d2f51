// The ledger's one public face: what the ledger functions, the chain client, the CLI, the local
// cluster starter, tests and benchmarks use of blockchain-nodes — exactly that, so a change
// behind it is a change no one outside sees. The core's insides, the replica runtime and the
// simulation sit behind it; only blockchain-nodes' own tests reach past it.

// The chain format: canonical encoding and hashes, signatures, genesis, transactions
export { sha256Hex, utf8, type Json } from './src/chain/encoding';
export { countingVerifier, defaultVerifier, generateKeyPair, secp256k1Signer, verifyWithNoble, type Signer, type Verifier } from './src/chain/crypto';
// in Node, OpenSSL verifies and hashes under the same answers (importing it installs it)
export { verifyFast } from './src/chain/native-crypto';
export { defaultRules, genesisProblems, openChain, type Chain, type Genesis } from './src/chain/genesis';
export { signTransaction, transactionHash, transactionShapeProblem, transactionSigningBytes, type Transaction } from './src/chain/transaction';

// Verification, trusting no replica: a genesis, and a booking's proof against it (the same
// code the browser bundles: verifier.ts)
export { chainOf, verifyTransactionProof, type TransactionProof } from './src/chain/verify';

// The protocol core, stepped directly by the consensus benchmark
export { createReplica, type Input, type ReplicaState } from './src/pbft/replica';

// The replica runtime as its starters and auditors see it: a cluster's genesis and keys on disk,
// a replica's database and settings, its HTTP API, and a served or stored chain verified page by page
export { ensureCluster, initCluster, loadCluster, readKeyFile, type ClusterFiles, type InitOptions } from './src/runtime/cluster-config';
export { prepareReplicaDatabase, withDatabase } from './src/runtime/store';
export { settingsFromEnv } from './src/runtime/settings';
export { request } from './src/runtime/http';
export { databaseBlockSource, httpBlockSource, verifySource, type BlockSource, type VerifyReport } from './src/runtime/verify';
