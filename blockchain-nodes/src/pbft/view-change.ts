import type { Verifier } from '../chain/crypto';
import { isHex } from '../chain/encoding';
import { primaryOf, type Chain, type ReplicaId } from '../chain/genesis';
import { blockHash, genesisHeader, makeBlock, type Block, type BlockHeader } from '../chain/block';
import { blockBodyProblem, headerShapeProblem } from '../chain/verify';
import {
  checkpointSignatureValid,
  knownReplica,
  newViewSignatureValid,
  viewChangeSignatureValid,
  voteSignatureValid,
  type NewView,
  type PreparedCertificate,
  type StableCheckpoint,
  type ViewChange,
} from './messages';

export function genesisCheckpoint(chain: Chain): StableCheckpoint {
  return { seq: 0, digest: chain.genesisHash, header: genesisHeader(chain), proof: [] };
}

export function stableCheckpointProblem(chain: Chain, sc: StableCheckpoint, verify: Verifier): string | null {
  if (typeof sc !== 'object' || sc === null || !Array.isArray(sc.proof)) return 'stable checkpoint is malformed';
  if (sc.seq === 0) {
    const genesis = genesisCheckpoint(chain);
    return sc.digest === genesis.digest && sc.proof.length === 0 && blockHash(sc.header) === blockHash(genesis.header)
      ? null
      : 'height-0 checkpoint is not genesis';
  }
  if (!Number.isSafeInteger(sc.seq) || sc.seq < 0 || sc.seq % chain.rules.checkpointInterval !== 0) return 'checkpoint height is not a checkpoint';
  const shape = headerShapeProblem(chain, sc.header);
  if (shape) return `checkpoint header: ${shape}`;
  if (sc.header.height !== sc.seq || blockHash(sc.header) !== sc.digest) return 'checkpoint header does not match its digest';
  const signers = new Set<number>();
  for (const vote of sc.proof) {
    if (signers.has(vote.from)) return `checkpoint proof counts replica ${vote.from} twice`;
    if (!checkpointSignatureValid(chain, verify, { seq: sc.seq, digest: sc.digest, from: vote.from, signature: vote.signature }))
      return `checkpoint proof signature of replica ${vote.from} does not verify`;
    signers.add(vote.from);
  }
  return signers.size >= chain.quorum ? null : `checkpoint proof has ${signers.size} votes, ${chain.quorum} needed`;
}

export function preparedCertificateProblem(chain: Chain, cert: PreparedCertificate, verify: Verifier): string | null {
  if (typeof cert !== 'object' || cert === null || !Array.isArray(cert.prepares)) return 'prepared certificate is malformed';
  if (!Number.isSafeInteger(cert.view) || cert.view < 0) return 'prepared certificate view is not a view';
  const body = blockBodyProblem(chain, cert.block);
  if (body) return `prepared block: ${body}`;
  if (cert.block.header.height !== cert.seq || blockHash(cert.block.header) !== cert.digest) return 'prepared block does not match its digest';
  const primary = primaryOf(chain, cert.view);
  const { view, seq, digest } = cert;
  if (!voteSignatureValid(chain, verify, 'pre-prepare', { view, seq, digest, from: primary, signature: cert.prePrepareSignature }))
    return 'pre-prepare signature in prepared certificate does not verify';
  const backups = new Set<number>();
  for (const p of cert.prepares) {
    if (p.from === primary || backups.has(p.from) || !knownReplica(chain, p.from)) return `prepare from replica ${p.from} cannot count`;
    if (!voteSignatureValid(chain, verify, 'prepare', { view, seq, digest, from: p.from, signature: p.signature }))
      return `prepare signature of replica ${p.from} does not verify`;
    backups.add(p.from);
  }
  return backups.size >= chain.quorum - 1 ? null : `${backups.size} prepares, ${chain.quorum - 1} needed`;
}

export function viewChangeProblem(chain: Chain, vc: ViewChange, verify: Verifier): string | null {
  if (typeof vc !== 'object' || vc === null || !Array.isArray(vc.prepared)) return 'view change is malformed';
  if (!Number.isSafeInteger(vc.view) || vc.view < 1) return 'view change names no view';
  if (!knownReplica(chain, vc.from)) return 'view change from an unknown replica';
  if (!viewChangeSignatureValid(chain, verify, vc)) return 'view change signature does not verify';
  const stable = stableCheckpointProblem(chain, vc.stable, verify);
  if (stable) return stable;
  let last = vc.stable.seq;
  for (const cert of vc.prepared) {
    if (cert.seq <= last) return 'prepared certificates out of order or below the checkpoint';
    if (cert.seq > vc.stable.seq + chain.rules.watermarkWindow) return 'prepared certificate above the high watermark';
    if (cert.view >= vc.view) return 'prepared certificate from a view not yet left';
    const problem = preparedCertificateProblem(chain, cert, verify);
    if (problem) return problem;
    last = cert.seq;
  }
  return null;
}

export interface NewViewPlan {
  stable: StableCheckpoint;
  /** Blocks for stable.seq + 1, stable.seq + 2, …, each to be pre-prepared again in the new view. */
  blocks: Block[];
}

/**
 * What the new primary must propose, computed the same way by every replica from the same
 * view changes (PBFT's min-s/max-s rule, extended for a hash chain). For each height above the
 * highest stable checkpoint it takes the block prepared in the highest view — but only if that
 * block extends the block chosen below it; otherwise an empty block takes its place. That is
 * safe because replicas vote COMMIT in sequence order: a block with a commit certificate has
 * every ancestor above the checkpoint prepared by f+1 honest replicas in the same view (or
 * committed), so each of them wins its height and links to the winner below.
 */
export function planNewView(chain: Chain, view: number, viewChanges: readonly ViewChange[]): NewViewPlan {
  let stable = viewChanges[0]?.stable ?? genesisCheckpoint(chain);
  for (const vc of viewChanges) if (vc.stable.seq > stable.seq) stable = vc.stable;
  const best = new Map<number, PreparedCertificate>();
  let maxSeq = stable.seq;
  for (const vc of viewChanges)
    for (const cert of vc.prepared) {
      if (cert.seq <= stable.seq) continue;
      const current = best.get(cert.seq);
      if (!current || cert.view > current.view || (cert.view === current.view && cert.digest < current.digest)) best.set(cert.seq, cert);
      if (cert.seq > maxSeq) maxSeq = cert.seq;
    }
  const blocks: Block[] = [];
  const filler: boolean[] = [];
  let parent: BlockHeader = stable.header;
  let parentHash = stable.digest;
  for (let seq = stable.seq + 1; seq <= maxSeq; seq++) {
    const cert = best.get(seq);
    const block =
      cert && cert.block.header.parentHash === parentHash
        ? cert.block
        : makeBlock({ height: seq, parentHash, view, proposer: primaryOf(chain, view), timestamp: parent.timestamp }, []);
    blocks.push(block);
    filler.push(!cert || block !== cert.block);
    parent = block.header;
    parentHash = cert && block === cert.block ? cert.digest : blockHash(block.header);
  }
  // Filler at the top links nothing to anything; leaving it out keeps the chain free of it.
  while (filler.length && filler[filler.length - 1]) {
    filler.pop();
    blocks.pop();
  }
  return { stable, blocks };
}

/**
 * Checks a NEW-VIEW completely: its signature, 2f+1 valid view changes for that view from
 * distinct replicas, and that its pre-prepares are exactly what {@link planNewView} yields.
 * `known` lets a replica skip view changes it has already verified byte for byte.
 */
export function newViewProblem(chain: Chain, nv: NewView, verify: Verifier, known: (vc: ViewChange) => boolean = () => false): { problem: string } | { plan: NewViewPlan } {
  if (typeof nv !== 'object' || nv === null || !Array.isArray(nv.viewChanges) || !Array.isArray(nv.prePrepares)) return { problem: 'new view is malformed' };
  if (nv.from !== primaryOf(chain, nv.view)) return { problem: 'new view not from the primary of that view' };
  if (!newViewSignatureValid(chain, verify, nv)) return { problem: 'new view signature does not verify' };
  const senders = new Set<number>();
  for (const vc of nv.viewChanges) {
    if (vc?.view !== nv.view) return { problem: 'new view holds a view change for another view' };
    if (senders.has(vc.from)) return { problem: `new view counts replica ${vc.from} twice` };
    if (!known(vc)) {
      const problem = viewChangeProblem(chain, vc, verify);
      if (problem) return { problem: `view change of replica ${vc.from}: ${problem}` };
    }
    senders.add(vc.from);
  }
  if (senders.size < chain.quorum) return { problem: `${senders.size} view changes, ${chain.quorum} needed` };
  const plan = planNewView(chain, nv.view, nv.viewChanges);
  if (nv.prePrepares.length !== plan.blocks.length) return { problem: 'new view proposes a different number of blocks than its view changes imply' };
  for (let i = 0; i < plan.blocks.length; i++) {
    const pp = nv.prePrepares[i];
    const expected = blockHash(plan.blocks[i].header);
    if (pp?.seq !== plan.stable.seq + 1 + i || pp.view !== nv.view || pp.from !== nv.from || pp.digest !== expected || !isHex(pp.signature))
      return { problem: `new view pre-prepare at ${plan.stable.seq + 1 + i} is not the one its view changes imply` };
    if (blockBodyProblem(chain, pp.block) || blockHash(pp.block.header) !== expected) return { problem: `new view block at ${pp.seq} does not match its digest` };
    if (!voteSignatureValid(chain, verify, 'pre-prepare', pp)) return { problem: `new view pre-prepare at ${pp.seq} signature does not verify` };
  }
  return { plan };
}

/**
 * Valid VIEW-CHANGEs for views not yet entered, per replica and view. Not only each replica's
 * latest: a replica that already moved on still counts toward the quorum of the view it left,
 * or one replica pushed ahead alone could leave the rest a vote short forever.
 */
export type ViewChangeVotes = Map<ReplicaId, Map<number, ViewChange>>;

const VIEW_CHANGES_KEPT_PER_REPLICA = 8;

export function storeViewChange(votes: ViewChangeVotes, vc: ViewChange): void {
  let byView = votes.get(vc.from);
  if (!byView) votes.set(vc.from, (byView = new Map()));
  byView.set(vc.view, vc);
  // A faulty replica may announce endless views; it only ever evicts its own oldest.
  if (byView.size > VIEW_CHANGES_KEPT_PER_REPLICA) byView.delete(Math.min(...byView.keys()));
}

/**
 * "A replica that receives f+1 valid VIEW-CHANGE messages for views greater than its own sends a
 * VIEW-CHANGE for the smallest of them" (§4.5.2): f+1 replicas asking for later views include an
 * honest one. Taking each other replica's latest view: the smallest of the f+1 highest, or
 * undefined while fewer than f+1 ask for a view above `view`.
 */
export function laterViewToJoin(votes: ViewChangeVotes, me: ReplicaId, view: number, f: number): number | undefined {
  const later = [...votes]
    .filter(([from]) => from !== me)
    .map(([, byView]) => Math.max(...byView.keys()))
    .filter((v) => v > view)
    .sort((a, b) => b - a);
  return later.length >= f + 1 ? later[f] : undefined;
}

/** The VIEW-CHANGEs held for `view`, by replica id: the first 2f+1 are the ones a NEW-VIEW uses. */
export function viewChangesFor(votes: ViewChangeVotes, view: number): ViewChange[] {
  return [...votes.values()]
    .map((byView) => byView.get(view))
    .filter((vc): vc is ViewChange => vc !== undefined)
    .sort((a, b) => a.from - b.from);
}

/** Entering `view` settles it and every view before it. */
export function forgetViewChangesUpTo(votes: ViewChangeVotes, view: number): void {
  for (const [from, byView] of votes) {
    for (const v of byView.keys()) if (v <= view) byView.delete(v);
    if (byView.size === 0) votes.delete(from);
  }
}
