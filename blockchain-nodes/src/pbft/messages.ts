import type { Signer, Verifier } from '../chain/crypto';
import { taggedBytes } from '../chain/encoding';
import { primaryOf, type Chain, type ReplicaId } from '../chain/genesis';
import { commitVoteBytes, type Block, type BlockHeader } from '../chain/block';
import type { Transaction } from '../chain/transaction';

// The messages of PBFT (Castro & Liskov, OSDI '99) as this chain uses them. Every protocol
// message is signed, not MAC'd, so any replica can relay another's message and a certificate
// convinces someone who never saw the traffic. Signatures cover the chain's genesis hash, so a
// vote from a test cluster can never count on the real one.

export type Phase = 'pre-prepare' | 'prepare' | 'commit';

/** A signature by one replica, where what it signed is implied by its container. */
export interface Signed {
  from: ReplicaId;
  signature: string;
}

/** A replica's vote in one phase for `digest` (a block hash) at sequence number `seq` in `view`. */
export interface Vote extends Signed {
  view: number;
  seq: number;
  digest: string;
}

/** The primary's proposal; the block rides along, the signature covers only its hash. */
export interface PrePrepare extends Vote {
  kind: 'pre-prepare';
  block: Block;
}

export interface Prepare extends Vote {
  kind: 'prepare';
}

export interface Commit extends Vote {
  kind: 'commit';
}

/** "My chain at height `seq` has hash `digest`"; the header comes along so a replica that is behind learns its timestamp too. */
export interface Checkpoint extends Signed {
  kind: 'checkpoint';
  seq: number;
  digest: string;
  header: BlockHeader;
}

/** A checkpoint 2f+1 replicas vouched for: nothing at or below it can change any more. */
export interface StableCheckpoint {
  seq: number;
  digest: string;
  header: BlockHeader;
  /** Empty for height 0 (genesis needs no votes). */
  proof: Signed[];
}

/** Proof that a block was prepared: the primary's pre-prepare and 2f matching prepares from backups. */
export interface PreparedCertificate {
  view: number;
  seq: number;
  digest: string;
  prePrepareSignature: string;
  prepares: Signed[];
  block: Block;
}

/** "Move to `view`": my stable checkpoint and everything I prepared above it. */
export interface ViewChange extends Signed {
  kind: 'view-change';
  view: number;
  stable: StableCheckpoint;
  prepared: PreparedCertificate[];
}

/** The new primary's proof that 2f+1 replicas moved, and the proposals that follow from their reports. */
export interface NewView extends Signed {
  kind: 'new-view';
  view: number;
  viewChanges: ViewChange[];
  prePrepares: PrePrepare[];
}

/** A client's transaction, relayed to the primary; it carries its own signature, so needs no other. */
export interface RequestMessage {
  kind: 'request';
  transaction: Transaction;
}

/** Unsigned progress report, sent periodically: peers answer with what the sender is missing. */
export interface Status {
  kind: 'status';
  from: ReplicaId;
  view: number;
  changing: boolean;
  executed: number;
  stable: number;
}

export type Message = PrePrepare | Prepare | Commit | Checkpoint | ViewChange | NewView | RequestMessage | Status;
export type MessageKind = Message['kind'];

export function voteBytes(chain: Chain, phase: Phase, vote: { view: number; seq: number; digest: string; from: ReplicaId }): Uint8Array {
  if (phase === 'commit') return commitVoteBytes(chain, vote);
  return taggedBytes(phase, { chain: chain.genesisHash, view: vote.view, seq: vote.seq, digest: vote.digest, from: vote.from });
}

export function checkpointBytes(chain: Chain, vote: { seq: number; digest: string; from: ReplicaId }): Uint8Array {
  return taggedBytes('checkpoint', { chain: chain.genesisHash, seq: vote.seq, digest: vote.digest, from: vote.from });
}

function viewChangeBody(chain: Chain, vc: Omit<ViewChange, 'signature' | 'kind'>) {
  return {
    chain: chain.genesisHash,
    view: vc.view,
    from: vc.from,
    stable: { seq: vc.stable.seq, digest: vc.stable.digest, proof: vc.stable.proof },
    // Blocks are bound by their hash (the digest); signing them again would only cost time.
    prepared: vc.prepared.map((c) => ({ view: c.view, seq: c.seq, digest: c.digest, prePrepare: c.prePrepareSignature, prepares: c.prepares })),
  };
}

export const viewChangeBytes = (chain: Chain, vc: Omit<ViewChange, 'signature' | 'kind'>): Uint8Array =>
  taggedBytes('view-change', viewChangeBody(chain, vc));

export function newViewBytes(chain: Chain, nv: Omit<NewView, 'signature' | 'kind'>): Uint8Array {
  return taggedBytes('new-view', {
    chain: chain.genesisHash,
    view: nv.view,
    from: nv.from,
    viewChanges: nv.viewChanges.map((vc) => ({ from: vc.from, signature: vc.signature })),
    prePrepares: nv.prePrepares.map((pp) => ({ seq: pp.seq, digest: pp.digest, signature: pp.signature })),
  });
}

export function signVote<K extends Phase>(chain: Chain, signer: Signer, kind: K, fields: { view: number; seq: number; digest: string; from: ReplicaId }) {
  return { kind, ...fields, signature: signer.sign(voteBytes(chain, kind, fields)) };
}

export function signPrePrepare(chain: Chain, signer: Signer, from: ReplicaId, view: number, seq: number, digest: string, block: Block): PrePrepare {
  return { ...signVote(chain, signer, 'pre-prepare', { view, seq, digest, from }), block };
}

export function signCheckpoint(chain: Chain, signer: Signer, from: ReplicaId, header: BlockHeader, digest: string): Checkpoint {
  const seq = header.height;
  return { kind: 'checkpoint', seq, digest, header, from, signature: signer.sign(checkpointBytes(chain, { seq, digest, from })) };
}

export function signViewChange(chain: Chain, signer: Signer, body: Omit<ViewChange, 'signature' | 'kind'>): ViewChange {
  return { kind: 'view-change', ...body, signature: signer.sign(viewChangeBytes(chain, body)) };
}

export function signNewView(chain: Chain, signer: Signer, body: Omit<NewView, 'signature' | 'kind'>): NewView {
  return { kind: 'new-view', ...body, signature: signer.sign(newViewBytes(chain, body)) };
}

const knownReplica = (chain: Chain, id: unknown): id is ReplicaId => Number.isSafeInteger(id) && (id as number) >= 0 && (id as number) < chain.n;

export function voteSignatureValid(chain: Chain, verify: Verifier, phase: Phase, vote: Vote): boolean {
  return knownReplica(chain, vote.from) && verify(chain.replicaKeys[vote.from], voteBytes(chain, phase, vote), vote.signature);
}

export function checkpointSignatureValid(chain: Chain, verify: Verifier, vote: { seq: number; digest: string; from: ReplicaId; signature: string }): boolean {
  return knownReplica(chain, vote.from) && verify(chain.replicaKeys[vote.from], checkpointBytes(chain, vote), vote.signature);
}

export function viewChangeSignatureValid(chain: Chain, verify: Verifier, vc: ViewChange): boolean {
  return knownReplica(chain, vc.from) && verify(chain.replicaKeys[vc.from], viewChangeBytes(chain, vc), vc.signature);
}

export function newViewSignatureValid(chain: Chain, verify: Verifier, nv: NewView): boolean {
  return nv.from === primaryOf(chain, nv.view) && verify(chain.replicaKeys[nv.from], newViewBytes(chain, nv), nv.signature);
}

export { knownReplica };
