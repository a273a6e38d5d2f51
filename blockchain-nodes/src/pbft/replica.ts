import { defaultVerifier, type Signer, type Verifier } from '../chain/crypto';
import { isHex } from '../chain/encoding';
import { primaryOf, type Chain, type Genesis, type ReplicaId } from '../chain/genesis';
import { blockHash, makeBlock, type Block, type BlockHeader, type CommitCertificate, type CommittedBlock } from '../chain/block';
import { transactionHash, transactionProblem, transactionShapeProblem, type Transaction } from '../chain/transaction';
import { blockBodyProblem, chainOf, headerShapeProblem, verifyCommittedBlock } from '../chain/verify';
import {
  checkpointSignatureValid,
  knownReplica,
  signCheckpoint,
  signNewView,
  signPrePrepare,
  signViewChange,
  signVote,
  voteSignatureValid,
  type Checkpoint,
  type Commit,
  type Message,
  type NewView,
  type PrePrepare,
  type Prepare,
  type PreparedCertificate,
  type StableCheckpoint,
  type Status,
  type ViewChange,
  type Vote,
} from './messages';
import { addCheckpointVote, addOwnCheckpoint, discardHeadersBelow, discardUpTo, newlyStable, withinWatermarks } from './checkpoints';
import { restoreState, type RecoveredState } from './restore';
import { initialState, slotAt, type PendingRequest, type ReplicaState, type Slot } from './state';
import {
  forgetViewChangesUpTo,
  laterViewToJoin,
  newViewProblem,
  planNewView,
  storeViewChange,
  viewChangeProblem,
  viewChangesFor,
  type NewViewPlan,
} from './view-change';
import { addTrustedVote, addVote, confirmQuorum, hasQuorum, quorumSignatures, type VoteCheck, type VoteSet } from './vote-set';

export type { RecoveredState } from './restore';
export type { ReplicaState } from './state';

// The replica: `step` and the phase transitions of PBFT (Castro & Liskov, OSDI '99) — accept a
// pre-prepare, prepare, commit, execute, checkpoint, change view. The rules they apply stand
// alone beside it: vote-set.ts (quorums of votes), checkpoints.ts (stability and watermarks),
// view-change.ts (the new-view rule), restore.ts (the state after a restart).

/** Local pacing; unlike the genesis rules, replicas need not agree on these. All times in ms. */
export interface Timing {
  /** Most transactions the primary puts in one block (capped by the genesis rule). */
  maxBatch: number;
  /** How long the primary waits for a fuller batch before proposing a partial one. */
  batchDelay: number;
  /** Blocks the primary proposes ahead of its own execution. */
  maxInFlight: number;
  /** How long a pending request may wait before this replica asks for a new primary; doubles per failed attempt. */
  viewChangeTimeout: number;
  maxTimeoutDoublings: number;
  /** How often a replica reports its progress, which is also how often peers resend what it lacks. */
  statusInterval: number;
  maxPending: number;
}

export const defaultTiming: Timing = {
  maxBatch: 128,
  batchDelay: 5,
  maxInFlight: 4,
  viewChangeTimeout: 2_000,
  maxTimeoutDoublings: 4,
  statusInterval: 500,
  maxPending: 100_000,
};

export interface ReplicaConfig {
  genesis: Genesis | Chain;
  id: ReplicaId;
  /** Must hold the key genesis lists for `id`. */
  signer: Signer;
  verify?: Verifier;
  timing?: Partial<Timing>;
}

export type Input =
  /** Time passes; the only clock the core knows. */
  | { kind: 'tick'; now: number }
  /** A transaction straight from a client (the ledger functions). */
  | { kind: 'request'; transaction: Transaction }
  /** A message from a peer; `from` is who the transport says sent it. */
  | { kind: 'message'; from: ReplicaId; message: Message }
  /** A committed block the runtime fetched from `from` when this replica asked to catch up. */
  | { kind: 'committed-block'; from: ReplicaId; block: Block; certificate: CommitCertificate };

/** `to: 'all'` means every other replica. */
export interface Outbound {
  to: ReplicaId | 'all';
  message: Message;
}

/** Written durably before any of the step's messages leave: what a replica signed, it must remember after a crash. */
export type PersistRecord =
  | { kind: 'signed'; message: Message }
  /** Entering a view carries the NEW-VIEW that opened it: after a restart it says which old blocks the view re-proposed. */
  | { kind: 'view'; view: number; changing: boolean; newView?: NewView }
  /** What a VIEW-CHANGE must report: a replica that forgot it could let a later view cut off a certified block. */
  | { kind: 'prepared'; certificate: PreparedCertificate }
  | { kind: 'block'; committed: CommittedBlock }
  | { kind: 'checkpoint'; stable: StableCheckpoint };

export interface Rejection {
  from: ReplicaId | 'client';
  kind: string;
  reason: string;
}

/** "Fetch committed blocks from `fromHeight` on, from one of these peers, and feed them back as `committed-block` inputs." */
export interface CatchUpRequest {
  fromHeight: number;
  peers: ReplicaId[];
}

export interface StepOutput {
  state: ReplicaState;
  persist: PersistRecord[];
  send: Outbound[];
  committed: CommittedBlock[];
  rejected: Rejection[];
  catchUp?: CatchUpRequest;
  /** Set when the replica stopped because continuing could mean signing something unsafe. */
  halted?: string;
}

export interface ReplicaCore {
  readonly chain: Chain;
  readonly id: ReplicaId;
  readonly timing: Timing;
  initialState(now?: number): ReplicaState;
  /** The state after a restart; the next step (a tick will do) re-judges the restored proposals. */
  restore(recovered: RecoveredState, now?: number): ReplicaState;
  step(state: ReplicaState, input: Input): StepOutput;
}

type Effects = Omit<StepOutput, 'state'>;

const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isVoteShaped = (m: Partial<Vote>): boolean => isCount(m.view) && isCount(m.seq) && isHex(m.digest, 32) && isHex(m.signature);

export function createReplica(config: ReplicaConfig): ReplicaCore {
  const chain = chainOf(config.genesis);
  const me = config.id;
  const signer = config.signer;
  if (!knownReplica(chain, me)) throw new Error(`replica ${me} is not in genesis`);
  if (chain.replicaKeys[me] !== signer.publicKey) throw new Error(`the signer does not hold replica ${me}'s genesis key`);
  const verify = config.verify ?? defaultVerifier;
  const timing: Timing = { ...defaultTiming, ...config.timing };
  timing.maxBatch = Math.min(timing.maxBatch, chain.rules.maxBlockTransactions);
  const { quorum, f } = chain;
  const K = chain.rules.checkpointInterval;
  const L = chain.rules.watermarkWindow;
  const primary = (view: number) => primaryOf(chain, view);
  const timeout = (s: ReplicaState) => timing.viewChangeTimeout * 2 ** Math.min(s.doublings, timing.maxTimeoutDoublings);

  function step(s: ReplicaState, input: Input): StepOutput {
    const fx: Effects = { persist: [], send: [], committed: [], rejected: [] };
    if (s.halted) {
      if (input.kind !== 'tick') reject(fx, sourceOf(input), kindOf(input), `halted: ${s.halted}`);
      return { state: s, ...fx };
    }
    try {
      switch (input.kind) {
        case 'tick':
          onTick(s, fx, input.now);
          break;
        case 'request':
          onRequest(s, fx, input.transaction, 'client');
          break;
        case 'message':
          onMessage(s, fx, input.from, input.message);
          break;
        case 'committed-block':
          onCommittedBlock(s, fx, input.from, input.block, input.certificate);
          break;
        default:
          reject(fx, 'client', 'input', 'unknown input');
      }
    } catch (error) {
      // Handlers judge before they change anything, so input that throws has changed nothing.
      if (error instanceof TypeError) reject(fx, sourceOf(input), kindOf(input), `malformed: ${error.message}`);
      else throw error;
    }
    // A client's transaction at a backup only joins its pending set, which nothing but the
    // primary's proposing reads: the slots, votes and checkpoints stand as the last step left them.
    if (input.kind !== 'request' || primary(s.view) === me) advance(s, fx);
    return { state: s, ...fx };
  }

  const sourceOf = (input: Input): ReplicaId | 'client' => (input.kind === 'message' || input.kind === 'committed-block' ? input.from : 'client');
  const kindOf = (input: Input): string => (input.kind === 'message' ? String((input.message as { kind?: unknown })?.kind) : input.kind);

  function reject(fx: Effects, from: ReplicaId | 'client', kind: string, reason: string): void {
    fx.rejected.push({ from, kind, reason });
  }

  function halt(s: ReplicaState, fx: Effects, reason: string): void {
    s.halted = reason;
    fx.halted = reason;
  }

  function broadcast(fx: Effects, message: Message, signed = true): void {
    if (signed) fx.persist.push({ kind: 'signed', message });
    fx.send.push({ to: 'all', message });
  }

  const getSlot = (s: ReplicaState, seq: number): Slot => slotAt(s, seq, quorum);
  const inWindow = (s: ReplicaState, seq: number) => withinWatermarks(s.stable.seq, L, seq);
  const genuine: VoteCheck = (phase, vote) => voteSignatureValid(chain, verify, phase, vote);

  // ───────────────────────────── inputs ─────────────────────────────

  function onMessage(s: ReplicaState, fx: Effects, from: ReplicaId, m: Message): void {
    const kind = String((m as { kind?: unknown })?.kind);
    if (!knownReplica(chain, from) || from === me) return reject(fx, from, kind, 'sender is not a peer');
    switch (m?.kind) {
      case 'pre-prepare':
        return onPrePrepare(s, fx, from, m);
      case 'prepare':
      case 'commit':
        return onVote(s, fx, from, m);
      case 'checkpoint':
        return onCheckpoint(s, fx, from, m);
      case 'view-change':
        return onViewChange(s, fx, from, m);
      case 'new-view':
        return onNewView(s, fx, from, m);
      case 'request':
        return onRequest(s, fx, m.transaction, from);
      case 'status':
        return onStatus(s, fx, from, m);
      default:
        return reject(fx, from, kind, 'unknown message kind');
    }
  }

  function onRequest(s: ReplicaState, fx: Effects, tx: Transaction, from: ReplicaId | 'client'): void {
    const shape = transactionShapeProblem(tx);
    if (shape) return reject(fx, from, 'request', shape);
    const height = s.committedIds.get(tx.id);
    if (height !== undefined) return reject(fx, from, 'request', `duplicate: already committed at height ${height}`);
    const hash = transactionHash(tx);
    const pending = s.pending.get(tx.id);
    if (pending) return reject(fx, from, 'request', pending.hash === hash ? 'duplicate: already pending' : 'another transaction with this id is pending');
    if (s.pending.size >= timing.maxPending) return reject(fx, from, 'request', 'too many pending transactions');
    const problem = transactionProblem(chain, tx, verify);
    if (problem) return reject(fx, from, 'request', problem);
    s.pending.set(tx.id, { transaction: tx, hash, since: s.now });
    if (s.timerSince === undefined && !s.changing) s.timerSince = s.now;
    if (from === 'client' && !s.changing && primary(s.view) !== me) fx.send.push({ to: primary(s.view), message: { kind: 'request', transaction: tx } });
  }

  function onPrePrepare(s: ReplicaState, fx: Effects, from: ReplicaId, m: PrePrepare): void {
    const no = (reason: string) => reject(fx, from, 'pre-prepare', reason);
    if (!isVoteShaped(m) || typeof m.block !== 'object' || m.block === null) return no('malformed');
    if (s.changing) return no(`changing to view ${s.view}`);
    if (m.view !== s.view) return no(m.view < s.view ? `from earlier view ${m.view}` : `from later view ${m.view}`);
    if (m.from !== primary(s.view)) return no('not from the primary of the view');
    if (!inWindow(s, m.seq)) return no(`sequence number ${m.seq} outside the watermarks`);
    if (m.seq <= s.executed) return no(`height ${m.seq} already executed`);
    const existing = s.slots.get(m.seq)?.prePrepare;
    if (existing) return no(existing.digest === m.digest ? 'duplicate' : 'conflicts with the pre-prepare already accepted: the primary equivocated');
    // After a restart a slot may hold this replica's own vote but not the proposal it voted for.
    const voted = s.slots.get(m.seq)?.sentPrepare ?? s.slots.get(m.seq)?.sentCommit;
    if (voted && voted.digest !== m.digest) return no('conflicts with the vote this replica signed for this height');
    const body = blockBodyProblem(chain, m.block);
    if (body) return no(body);
    if (m.block.header.height !== m.seq) return no('block height is not the sequence number');
    if (blockHash(m.block.header) !== m.digest) return no('digest is not the block hash');
    if (!voteSignatureValid(chain, verify, 'pre-prepare', m)) return no('signature does not verify');
    const slot = getSlot(s, m.seq);
    slot.prePrepare = m;
    slot.status = 'unchecked';
  }

  function onVote(s: ReplicaState, fx: Effects, from: ReplicaId, m: Prepare | Commit): void {
    const no = (reason: string) => reject(fx, from, m.kind, reason);
    if (!isVoteShaped(m) || !knownReplica(chain, m.from)) return no('malformed');
    if (s.changing) return no(`changing to view ${s.view}`);
    if (m.view !== s.view) return no(m.view < s.view ? `from earlier view ${m.view}` : `from later view ${m.view}`);
    if (m.kind === 'prepare' && m.from === primary(s.view)) return no('the primary does not prepare');
    if (!inWindow(s, m.seq)) return no(`sequence number ${m.seq} outside the watermarks`);
    if (m.seq <= s.executed) return no(`height ${m.seq} already executed`);
    const slot = getSlot(s, m.seq);
    // Its own vote over its own authenticated link: checked only if a quorum needs it. A vote relayed by another is checked now.
    const refused = addVote(m.kind === 'prepare' ? slot.prepares : slot.commits, m, from === m.from ? 'hold' : genuine);
    if (refused) return no(refused);
  }

  /** Checks the held votes a quorum for `digest` needs; a vote that fails is refused with the reason. */
  function confirmVotes(fx: Effects, votes: VoteSet, digest: string): void {
    for (const vote of confirmQuorum(votes, digest, genuine)) reject(fx, vote.from, votes.phase, 'signature does not verify');
  }

  function onCheckpoint(s: ReplicaState, fx: Effects, from: ReplicaId, m: Checkpoint): void {
    const no = (reason: string) => reject(fx, from, 'checkpoint', reason);
    if (!isCount(m.seq) || !isHex(m.digest, 32) || !isHex(m.signature) || !knownReplica(chain, m.from)) return no('malformed');
    if (m.seq <= s.stable.seq) return no(`height ${m.seq} is at or below the stable checkpoint`);
    if (m.seq % K !== 0) return no(`height ${m.seq} is not a checkpoint height`);
    if (headerShapeProblem(chain, m.header) || m.header.height !== m.seq || blockHash(m.header) !== m.digest) return no('header does not match the digest');
    // A replica may be ahead of us, but not by unbounded memory: a window's worth of its votes, and two more.
    const refused = addCheckpointVote(s.checkpointVotes, m, (vote) => checkpointSignatureValid(chain, verify, vote), L / K + 2);
    if (refused) return no(refused);
  }

  function onViewChange(s: ReplicaState, fx: Effects, from: ReplicaId, vc: ViewChange): void {
    const no = (reason: string) => reject(fx, from, 'view-change', reason);
    if (!isCount(vc.view) || !knownReplica(chain, vc.from)) return no('malformed');
    if (vc.view < s.view || (vc.view === s.view && !s.changing)) return no(`view ${vc.view} already entered or passed`);
    const existing = s.viewChanges.get(vc.from)?.get(vc.view);
    if (existing) return no(existing.signature === vc.signature ? 'duplicate' : 'conflicts with one already held for that view');
    const problem = viewChangeProblem(chain, vc, verify);
    if (problem) return no(problem);
    storeViewChange(s.viewChanges, vc);
    afterViewChangeStored(s, fx);
  }

  function onNewView(s: ReplicaState, fx: Effects, from: ReplicaId, nv: NewView): void {
    const no = (reason: string) => reject(fx, from, 'new-view', reason);
    if (!isCount(nv.view)) return no('malformed');
    if (nv.view < s.view || (nv.view === s.view && !s.changing))
      return no(s.newView?.signature === nv.signature ? 'duplicate' : `view ${nv.view} already entered or passed`);
    const known = (vc: ViewChange) => s.viewChanges.get(vc.from)?.get(vc.view)?.signature === vc.signature;
    const result = newViewProblem(chain, nv, verify, known);
    if ('problem' in result) return no(result.problem);
    enterView(s, fx, nv, result.plan);
  }

  function onStatus(s: ReplicaState, fx: Effects, from: ReplicaId, st: Status): void {
    if (st.from !== from) return reject(fx, from, 'status', 'names another sender');
    if (!isCount(st.view) || !isCount(st.executed) || !isCount(st.stable) || typeof st.changing !== 'boolean') return reject(fx, from, 'status', 'malformed');
    s.peers.set(from, { view: st.view, executed: st.executed });
    const send = (message: Message) => fx.send.push({ to: from, message });
    // What was just broadcast is still on its way; resending it now would only double the traffic.
    const settled = s.now - s.viewSince >= timing.statusInterval;
    // A peer still reaching for a view that some NEW-VIEW we hold already opened (or passed) only needs that.
    if (s.newView && (st.view < s.newView.view || (st.view === s.newView.view && st.changing)) && (settled || s.newView.view < s.view)) send(s.newView);
    if (s.changing && settled && (st.view < s.view || (st.view === s.view && st.changing))) {
      // The vote it lacks may be for the view it still reaches for, which we have since left.
      const forTheirView = st.changing && st.view < s.view ? s.viewChanges.get(me)?.get(st.view) : undefined;
      if (forTheirView) send(forTheirView);
      const current = s.viewChanges.get(me)?.get(s.view);
      if (current) send(current);
    } else if (st.view === s.view && !s.changing && !st.changing) {
      for (const seq of [...s.slots.keys()].sort((a, b) => a - b)) {
        if (seq <= st.executed) continue;
        const slot = s.slots.get(seq)!;
        if (primary(s.view) === me && slot.prePrepare) send(slot.prePrepare);
        if (slot.sentPrepare) send(slot.sentPrepare);
        if (slot.sentCommit) send(slot.sentCommit);
      }
    }
    if (st.stable < s.stable.seq) {
      const { seq, digest, header } = s.stable;
      for (const vote of s.stable.proof) send({ kind: 'checkpoint', seq, digest, header, from: vote.from, signature: vote.signature });
    }
  }

  function onCommittedBlock(s: ReplicaState, fx: Effects, from: ReplicaId, block: Block, certificate: CommitCertificate): void {
    const no = (reason: string) => reject(fx, from, 'committed-block', reason);
    const height = block?.header?.height;
    if (!isCount(height)) return no('malformed');
    if (height <= s.executed) return no(`height ${height} already executed`);
    if (height !== s.executed + 1) return no(`height ${height} does not follow ${s.executed}`);
    const verdict = verifyCommittedBlock(chain, s.head, block, certificate, verify);
    if (!verdict.ok) return no(verdict.reason);
    executeBlock(s, fx, block, certificate, certificate.blockHash);
  }

  function onTick(s: ReplicaState, fx: Effects, now: number): void {
    if (now > s.now) s.now = now;
    if (s.changing) {
      if (s.viewChangeQuorumAt !== undefined && s.now - s.viewChangeQuorumAt >= timeout(s)) startViewChange(s, fx, s.view + 1);
    } else if (s.timerSince !== undefined && s.now - s.timerSince >= timeout(s) && s.executed >= s.stable.seq) {
      startViewChange(s, fx, s.view + 1);
    }
    if (s.now - s.lastStatusAt >= timing.statusInterval) {
      s.lastStatusAt = s.now;
      broadcast(fx, { kind: 'status', from: me, view: s.view, changing: s.changing, executed: s.executed, stable: s.stable.seq }, false);
      if (!s.changing && primary(s.view) !== me) forwardPending(s, fx, s.now - timing.statusInterval);
    }
    requestCatchUpIfBehind(s, fx);
  }

  // ─────────────────────── the normal case ───────────────────────

  /** Repeats the protocol's local rules until none applies: validate, prepare, commit, execute, checkpoint, propose. */
  function advance(s: ReplicaState, fx: Effects): void {
    for (let round = 0; round < 10_000 && !s.halted; round++) {
      let progressed = stabilizeCheckpoint(s, fx);
      if (!s.changing && !s.halted) {
        progressed = runSlots(s, fx) || progressed;
        progressed = executeCommitted(s, fx) || progressed;
        progressed = propose(s, fx) || progressed;
      }
      if (!progressed) break;
    }
  }

  function runSlots(s: ReplicaState, fx: Effects): boolean {
    let progressed = false;
    for (const seq of [...s.slots.keys()].sort((a, b) => a - b)) {
      const slot = s.slots.get(seq)!;
      const pp = slot.prePrepare;
      if (!pp) continue;
      if (slot.status === 'unchecked') {
        const verdict = judgeProposal(s, seq, slot);
        if (verdict === 'wait') continue;
        progressed = true;
        slot.status = verdict === 'valid' ? 'valid' : 'invalid';
        if (verdict !== 'valid') reject(fx, pp.from, 'pre-prepare', `block ${seq}: ${verdict}`);
      }
      if (slot.status !== 'valid') continue;
      const fields = { view: s.view, seq, digest: pp.digest, from: me };
      if (primary(s.view) !== me && !slot.sentPrepare) {
        slot.sentPrepare = signVote(chain, signer, 'prepare', fields);
        addTrustedVote(slot.prepares, slot.sentPrepare);
        broadcast(fx, slot.sentPrepare);
        progressed = true;
      }
      if (!slot.prepared) confirmVotes(fx, slot.prepares, pp.digest);
      if (!slot.prepared && hasQuorum(slot.prepares, pp.digest)) {
        slot.prepared = true;
        recordPrepared(s, fx, seq, slot);
        progressed = true;
      }
      if (slot.prepared && !slot.sentCommit && previousCommitted(s, seq, pp.block.header.parentHash)) {
        slot.sentCommit = signVote(chain, signer, 'commit', fields);
        addTrustedVote(slot.commits, slot.sentCommit);
        broadcast(fx, slot.sentCommit);
        progressed = true;
      }
    }
    return progressed;
  }

  /**
   * COMMIT votes go out in sequence order: for `seq` only once this replica has voted COMMIT for
   * `seq - 1` in this view (for the block `seq` extends) or executed it. So whoever signs COMMIT
   * for a block has every unexecuted ancestor prepared in the same view; a block with 2f+1
   * COMMITs therefore has its whole ancestry prepared by f+1 honest replicas or committed, which
   * the new-view rule always keeps. Without it, 2f+1 signatures could vouch for a block a later
   * view cuts off the chain — and an offline proof would believe them.
   */
  function previousCommitted(s: ReplicaState, seq: number, parentHash: string): boolean {
    if (seq - 1 <= s.executed) return true;
    const parent = s.slots.get(seq - 1);
    return parent?.status === 'valid' && parent.sentCommit !== undefined && parent.prePrepare?.digest === parentHash;
  }

  function recordPrepared(s: ReplicaState, fx: Effects, seq: number, slot: Slot): void {
    const pp = slot.prePrepare!;
    const existing = s.prepared.get(seq);
    if (existing && existing.view >= s.view) return;
    const prepares = quorumSignatures(slot.prepares, pp.digest);
    const certificate: PreparedCertificate = { view: s.view, seq, digest: pp.digest, prePrepareSignature: pp.signature, prepares, block: pp.block };
    s.prepared.set(seq, certificate);
    fx.persist.push({ kind: 'prepared', certificate });
  }

  /** 'valid', 'wait' (its parent is not judged yet), or the reason it is refused. */
  function judgeProposal(s: ReplicaState, seq: number, slot: Slot): string {
    const pp = slot.prePrepare!;
    const { header, transactions } = pp.block;
    if (seq <= s.executed) {
      return s.recent.get(seq)?.hash === pp.digest ? 'valid' : 'conflicts with the block already executed at this height';
    }
    let parent: BlockHeader;
    let parentHash: string;
    if (seq - 1 === s.executed) {
      parent = s.head;
      parentHash = s.headHash;
    } else {
      const before = s.slots.get(seq - 1);
      if (!before?.prePrepare || before.status === 'unchecked') return 'wait';
      if (before.status === 'invalid') return 'extends a refused block';
      parent = before.prePrepare.block.header;
      parentHash = before.prePrepare.digest;
    }
    if (header.parentHash !== parentHash) return 'does not extend the block before it';
    if (header.timestamp < parent.timestamp) return 'timestamp is earlier than its parent';
    if (!slot.reproposal) {
      if (header.view !== s.view || header.proposer !== pp.from) return 'header names another view or proposer';
      if (header.timestamp > s.now + chain.rules.maxClockSkew) return 'timestamp is too far in the future';
      if (transactions.length === 0) return 'empty block';
    }
    const earlier = new Set<string>();
    for (let k = s.executed + 1; k < seq; k++) for (const tx of s.slots.get(k)?.prePrepare?.block.transactions ?? []) earlier.add(tx.id);
    const inBlock = new Set<string>();
    for (const tx of transactions) {
      if (inBlock.has(tx.id)) return `transaction ${tx.id} appears twice`;
      inBlock.add(tx.id);
      if (s.committedIds.has(tx.id)) return `transaction ${tx.id} is already committed`;
      if (earlier.has(tx.id)) return `transaction ${tx.id} is already in an earlier block`;
      // A request this replica checked itself needs no second signature check.
      if (s.pending.get(tx.id)?.hash === transactionHash(tx)) continue;
      const problem = transactionProblem(chain, tx, verify);
      if (problem) return `transaction ${tx.id}: ${problem}`;
    }
    return 'valid';
  }

  function executeCommitted(s: ReplicaState, fx: Effects): boolean {
    let progressed = false;
    for (;;) {
      const seq = s.executed + 1;
      const slot = s.slots.get(seq);
      const pp = slot?.prePrepare;
      if (!slot || !pp || slot.status !== 'valid' || !slot.prepared || s.halted) return progressed;
      confirmVotes(fx, slot.commits, pp.digest);
      if (!hasQuorum(slot.commits, pp.digest)) return progressed;
      const commits = quorumSignatures(slot.commits, pp.digest).map((c) => ({ replica: c.from, signature: c.signature }));
      executeBlock(s, fx, pp.block, { view: s.view, height: seq, blockHash: pp.digest, commits }, pp.digest);
      progressed = true;
    }
  }

  function executeBlock(s: ReplicaState, fx: Effects, block: Block, certificate: CommitCertificate, digest: string): void {
    const h = block.header;
    if (h.height !== s.executed + 1 || h.parentHash !== s.headHash) return halt(s, fx, `block ${h.height} does not extend the executed chain`);
    if (h.height === s.stable.seq && digest !== s.stable.digest) return halt(s, fx, `block ${h.height} contradicts the stable checkpoint`);
    for (const tx of block.transactions) if (s.committedIds.has(tx.id)) return halt(s, fx, `transaction ${tx.id} would commit twice`);
    for (const tx of block.transactions) {
      s.committedIds.set(tx.id, h.height);
      s.pending.delete(tx.id);
    }
    s.executed = h.height;
    s.head = h;
    s.headHash = digest;
    s.recent.set(h.height, { header: h, hash: digest });
    const committed: CommittedBlock = { block, certificate };
    fx.committed.push(committed);
    fx.persist.push({ kind: 'block', committed });
    s.doublings = 0;
    s.timerSince = s.pending.size > 0 && !s.changing ? s.now : undefined;
    if (s.nextSeq <= s.executed) s.nextSeq = s.executed + 1;
    if (h.height % K === 0 && h.height > s.stable.seq) {
      const checkpoint = signCheckpoint(chain, signer, me, h, digest);
      addOwnCheckpoint(s.checkpointVotes, checkpoint);
      broadcast(fx, checkpoint);
    }
  }

  function stabilizeCheckpoint(s: ReplicaState, fx: Effects): boolean {
    const stable = newlyStable(s.checkpointVotes, s.stable.seq, quorum);
    if (!stable) return false;
    if (stable.seq <= s.executed && s.recent.get(stable.seq)?.hash !== stable.digest) {
      halt(s, fx, `2f+1 replicas vouch for another block at height ${stable.seq} than the one executed here`);
      return false;
    }
    adoptStable(s, fx, stable);
    return true;
  }

  function adoptStable(s: ReplicaState, fx: Effects, stable: StableCheckpoint): void {
    s.stable = stable;
    fx.persist.push({ kind: 'checkpoint', stable });
    discardUpTo(s.slots, stable.seq);
    discardUpTo(s.prepared, stable.seq);
    discardUpTo(s.checkpointVotes, stable.seq);
    discardHeadersBelow(s.recent, stable.seq, s.executed);
    if (s.nextSeq <= stable.seq) s.nextSeq = stable.seq + 1;
  }

  function propose(s: ReplicaState, fx: Effects): boolean {
    if (primary(s.view) !== me || s.executed < s.stable.seq) return false;
    let progressed = false;
    for (;;) {
      const seq = s.nextSeq;
      if (seq > s.stable.seq + L || seq - s.executed - 1 >= timing.maxInFlight) return progressed;
      let parent: BlockHeader;
      let parentHash: string;
      if (seq - 1 === s.executed) {
        parent = s.head;
        parentHash = s.headHash;
      } else {
        const before = s.slots.get(seq - 1)?.prePrepare;
        if (!before || s.slots.get(seq - 1)!.status === 'invalid') return progressed;
        parent = before.block.header;
        parentHash = before.digest;
      }
      const inFlight = new Set<string>();
      for (let k = s.executed + 1; k < seq; k++) for (const tx of s.slots.get(k)?.prePrepare?.block.transactions ?? []) inFlight.add(tx.id);
      const batch: PendingRequest[] = [];
      for (const request of s.pending.values()) {
        if (inFlight.has(request.transaction.id)) continue;
        batch.push(request);
        if (batch.length === timing.maxBatch) break;
      }
      if (batch.length === 0) return progressed;
      if (batch.length < timing.maxBatch && s.now - batch[0].since < timing.batchDelay) return progressed;
      const block = makeBlock(
        { height: seq, parentHash, view: s.view, proposer: me, timestamp: Math.max(s.now, parent.timestamp) },
        batch.map((r) => r.transaction),
      );
      const pp = signPrePrepare(chain, signer, me, s.view, seq, blockHash(block.header), block);
      const slot = getSlot(s, seq);
      slot.prePrepare = pp;
      slot.status = 'valid';
      broadcast(fx, pp);
      s.nextSeq = seq + 1;
      progressed = true;
    }
  }

  function forwardPending(s: ReplicaState, fx: Effects, olderThan: number, exclude: ReadonlySet<string> = new Set()): void {
    const proposed = new Set<string>();
    for (const slot of s.slots.values()) for (const tx of slot.prePrepare?.block.transactions ?? []) proposed.add(tx.id);
    let sent = 0;
    for (const request of s.pending.values()) {
      if (sent >= timing.maxBatch) break;
      if (request.since > olderThan || proposed.has(request.transaction.id) || exclude.has(request.transaction.id)) continue;
      fx.send.push({ to: primary(s.view), message: { kind: 'request', transaction: request.transaction } });
      sent++;
    }
  }

  // ─────────────────────── view change ───────────────────────

  function startViewChange(s: ReplicaState, fx: Effects, view: number): void {
    s.view = view;
    s.changing = true;
    s.viewSince = s.now;
    s.slots.clear();
    s.timerSince = undefined;
    s.viewChangeQuorumAt = undefined;
    s.doublings = Math.min(s.doublings + 1, timing.maxTimeoutDoublings);
    const prepared = [...s.prepared.values()].filter((c) => inWindow(s, c.seq)).sort((a, b) => a.seq - b.seq);
    const vc = signViewChange(chain, signer, { view, from: me, stable: s.stable, prepared });
    storeViewChange(s.viewChanges, vc);
    fx.persist.push({ kind: 'view', view, changing: true });
    broadcast(fx, vc);
    afterViewChangeStored(s, fx);
  }

  function afterViewChangeStored(s: ReplicaState, fx: Effects): void {
    // f+1 replicas asking for later views include an honest one: follow rather than wait for our own timer.
    const later = laterViewToJoin(s.viewChanges, me, s.view, f);
    if (later !== undefined) return startViewChange(s, fx, later);
    if (!s.changing) return;
    const forView = viewChangesFor(s.viewChanges, s.view);
    if (forView.length < quorum) return;
    // The new primary's timer starts only once the view change is real, so one slow replica cannot race ahead alone.
    s.viewChangeQuorumAt ??= s.now;
    if (primary(s.view) !== me) return;
    const chosen = forView.slice(0, quorum);
    const plan = planNewView(chain, s.view, chosen);
    const prePrepares = plan.blocks.map((block, i) => signPrePrepare(chain, signer, me, s.view, plan.stable.seq + 1 + i, blockHash(block.header), block));
    const nv = signNewView(chain, signer, { view: s.view, from: me, viewChanges: chosen, prePrepares });
    broadcast(fx, nv);
    enterView(s, fx, nv, plan);
  }

  function enterView(s: ReplicaState, fx: Effects, nv: NewView, plan: NewViewPlan): void {
    s.view = nv.view;
    s.changing = false;
    s.viewSince = s.now;
    s.newView = nv;
    s.slots.clear();
    s.viewChangeQuorumAt = undefined;
    forgetViewChangesUpTo(s.viewChanges, nv.view);
    fx.persist.push({ kind: 'view', view: nv.view, changing: false, newView: nv });
    if (plan.stable.seq > s.stable.seq) {
      if (plan.stable.seq <= s.executed && s.recent.get(plan.stable.seq)?.hash !== plan.stable.digest)
        return halt(s, fx, `new view's checkpoint at ${plan.stable.seq} contradicts the executed chain`);
      adoptStable(s, fx, plan.stable);
    }
    const reproposed = new Set<string>();
    for (const pp of nv.prePrepares) {
      for (const tx of pp.block.transactions) reproposed.add(tx.id);
      if (pp.seq <= s.stable.seq) continue;
      const slot = getSlot(s, pp.seq);
      slot.prePrepare = pp;
      slot.reproposal = true;
    }
    s.nextSeq = Math.max(plan.stable.seq + plan.blocks.length, s.executed, s.stable.seq) + 1;
    s.timerSince = s.pending.size > 0 ? s.now : undefined;
    if (primary(s.view) !== me) forwardPending(s, fx, Number.POSITIVE_INFINITY, reproposed);
  }

  // ─────────────────────── catching up ───────────────────────

  function requestCatchUpIfBehind(s: ReplicaState, fx: Effects): void {
    const ahead = [...s.peers].filter(([, p]) => p.executed > s.executed).sort((a, b) => b[1].executed - a[1].executed || a[0] - b[0]);
    const certain = s.stable.seq > s.executed;
    if (!certain && ahead.length === 0) {
      s.behind = undefined;
      return;
    }
    if (!s.behind || s.behind.height !== s.executed) s.behind = { since: s.now, height: s.executed };
    // Peers a little ahead are normal; only a gap that outlasts a status round needs fetching.
    if (!certain && s.now - s.behind.since < timing.statusInterval) return;
    if (s.now - s.lastCatchUpAt < timing.statusInterval) return;
    s.lastCatchUpAt = s.now;
    const peers = ahead.map(([id]) => id);
    if (certain) for (const vote of s.stable.proof) if (vote.from !== me && !peers.includes(vote.from)) peers.push(vote.from);
    fx.catchUp = { fromHeight: s.executed + 1, peers };
  }

  return {
    chain,
    id: me,
    timing,
    initialState: (now = 0) => initialState(chain, me, now),
    restore: (recovered, now = 0) => restoreState(chain, me, recovered, now),
    step,
  };
}
