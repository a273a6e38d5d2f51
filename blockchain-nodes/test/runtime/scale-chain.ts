// A long chain built without running consensus, for the chain-at-scale benchmark: blocks of
// given transactions, linked from the genesis, each with a commit certificate signed by a
// quorum of the genesis replica keys (real signatures: the chain verifies as valid), written
// into a replica's database through the replica's own store — what a replica that committed
// them would hold. Test tooling: it reaches behind protocol.ts as the runtime's tests do.
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import { ReplicaStore } from '../../src/runtime/store';
import { blockHash, commitVoteBytes, genesisHeader, makeBlock, type BlockHeader, type CommittedBlock } from '../../src/chain/block';
import { buildInclusionProof, chainOf, type TransactionProof } from '../../src/chain/verify';
import type { Chain, Genesis } from '../../src/chain/genesis';
import type { Signer } from '../../src/chain/crypto';
import type { Transaction } from '../../src/chain/transaction';
import '../../src/chain/native-crypto';

const ORDER = secp.Point.CURVE().n;
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/**
 * The same signatures' validity as the chain's signer (ECDSA over SHA-256, compact, low-S),
 * by OpenSSL: many times faster than the pure-JavaScript signer, which a million signatures
 * need. Its nonces are random rather than RFC 6979's, which no verifier can tell.
 */
export function opensslSigner(secretKey: string): Signer {
  const d = Buffer.from(secretKey, 'hex');
  const point = secp.getPublicKey(d, false);
  const key: KeyObject = createPrivateKey({
    key: { kty: 'EC', crv: 'secp256k1', d: b64url(d), x: b64url(point.subarray(1, 33)), y: b64url(point.subarray(33)) },
    format: 'jwk',
  });
  const publicKey = Buffer.from(secp.getPublicKey(d, true)).toString('hex');
  return {
    publicKey,
    sign(message) {
      const sig = nodeSign('sha256', message, { key, dsaEncoding: 'ieee-p1363' });
      const s = BigInt('0x' + sig.subarray(32).toString('hex'));
      if (s <= ORDER >> 1n) return sig.toString('hex');
      return sig.subarray(0, 32).toString('hex') + (ORDER - s).toString(16).padStart(64, '0');
    },
  };
}

/** Appends committed blocks to a chain: view 0, replica 0 proposing, the first quorum of replicas signing each certificate. */
export function chainBuilder(genesis: Genesis, replicaSecretKeys: string[]) {
  const chain: Chain = chainOf(genesis);
  const signers = replicaSecretKeys.slice(0, chain.quorum).map(opensslSigner);
  let parent: BlockHeader = genesisHeader(chain);
  let parentHash = chain.genesisHash;
  return {
    chain,
    get height() {
      return parent.height;
    },
    get headHash() {
      return parentHash;
    },
    append(transactions: Transaction[]): CommittedBlock {
      const height = parent.height + 1;
      const block = makeBlock({ height, parentHash, view: 0, proposer: 0, timestamp: parent.timestamp + 1_000 }, transactions);
      const hash = blockHash(block.header);
      const commits = signers.map((s, replica) => ({ replica, signature: s.sign(commitVoteBytes(chain, { view: 0, seq: height, digest: hash, from: replica })) }));
      parent = block.header;
      parentHash = hash;
      return { block, certificate: { view: 0, height, blockHash: hash, commits } };
    },
  };
}

/** A replica's database (made and migrated if missing), written to through the replica's store. */
export async function openReplicaDatabase(url: string, genesis: Genesis) {
  const store = new ReplicaStore(url, chainOf(genesis));
  await store.open();
  return {
    /** The blocks as one durable batch, as a replica persists what it committed. */
    write: (blocks: CommittedBlock[]) => store.persist(blocks.map((committed) => ({ kind: 'block' as const, committed }))),
    close: () => store.close(),
  };
}

/** The inclusion proof a replica serves for a transaction of a block (GET /transactions/{id}/proof). */
export const inclusionProofOf = (committed: CommittedBlock, transactionId: string): TransactionProof => buildInclusionProof(committed, transactionId);
