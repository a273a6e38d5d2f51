import type { Chain, ReplicaId } from '../chain/genesis';
import type { BlockHeader } from '../chain/block';
import type { Transaction } from '../chain/transaction';
import type { Commit, NewView, PrePrepare, Prepare, PreparedCertificate, StableCheckpoint } from './messages';
import type { CheckpointVotes } from './checkpoints';
import { genesisCheckpoint, type ViewChangeVotes } from './view-change';
import { emptyVoteSet, type VoteSet } from './vote-set';

/** One sequence number of the current view's log: the proposal and the votes on it. */
export interface Slot {
  prePrepare?: PrePrepare;
  /** unchecked: stored, its content not yet judged (it may be waiting for its parent). */
  status: 'unchecked' | 'valid' | 'invalid';
  /** Re-proposed by a NEW-VIEW: it keeps its original view, proposer and timestamp. */
  reproposal: boolean;
  prepares: VoteSet;
  commits: VoteSet;
  sentPrepare?: Prepare;
  sentCommit?: Commit;
  prepared: boolean;
}

export interface PendingRequest {
  transaction: Transaction;
  hash: string;
  since: number;
}

/**
 * Everything a replica knows. `step` updates it in place and hands it back: the runtime owns
 * exactly one and feeds it inputs one at a time, as one serial loop. Nothing in it depends on
 * anything but the inputs, so the same inputs from the same state give the same outputs.
 */
export interface ReplicaState {
  id: ReplicaId;
  view: number;
  /** Between sending VIEW-CHANGE for `view` and accepting its NEW-VIEW. */
  changing: boolean;
  now: number;
  halted?: string;
  executed: number;
  head: BlockHeader;
  headHash: string;
  /** Executed headers from the stable checkpoint up, to check checkpoints and re-proposals against. */
  recent: Map<number, { header: BlockHeader; hash: string }>;
  /** Transaction id → height: how a resubmission is recognised. */
  committedIds: Map<string, number>;
  pending: Map<string, PendingRequest>;
  /** The current view's log, by sequence number. */
  slots: Map<number, Slot>;
  nextSeq: number;
  /** The highest-view prepared certificate per sequence number above the stable checkpoint. */
  prepared: Map<number, PreparedCertificate>;
  stable: StableCheckpoint;
  checkpointVotes: CheckpointVotes;
  viewChanges: ViewChangeVotes;
  /** How the current view began, resent to replicas still changing. */
  newView?: NewView;
  /** Since when a request has waited (normal case); undefined when none waits. */
  timerSince?: number;
  /** When 2f+1 VIEW-CHANGEs for `view` were in hand: the new primary's deadline runs from there. */
  viewChangeQuorumAt?: number;
  doublings: number;
  /** When the current view change began or the current view was entered. */
  viewSince: number;
  lastStatusAt: number;
  peers: Map<ReplicaId, { view: number; executed: number }>;
  behind?: { since: number; height: number };
  lastCatchUpAt: number;
}

/** A replica that has executed nothing, in view 0, at `now`. */
export function initialState(chain: Chain, id: ReplicaId, now = 0): ReplicaState {
  const genesis = genesisCheckpoint(chain);
  return {
    id,
    view: 0,
    changing: false,
    now,
    executed: 0,
    head: genesis.header,
    headHash: genesis.digest,
    recent: new Map([[0, { header: genesis.header, hash: genesis.digest }]]),
    committedIds: new Map(),
    pending: new Map(),
    slots: new Map(),
    nextSeq: 1,
    prepared: new Map(),
    stable: genesis,
    checkpointVotes: new Map(),
    viewChanges: new Map(),
    doublings: 0,
    viewSince: now,
    lastStatusAt: Number.NEGATIVE_INFINITY,
    peers: new Map(),
    lastCatchUpAt: Number.NEGATIVE_INFINITY,
  };
}

/**
 * The log entry at `seq`, made empty if there is none. Prepared takes the pre-prepare and 2f
 * matching PREPAREs (`quorum` − 1, from backups), committed 2f+1 matching COMMITs (`quorum`).
 */
export function slotAt(s: ReplicaState, seq: number, quorum: number): Slot {
  let slot = s.slots.get(seq);
  if (!slot) {
    slot = { status: 'unchecked', reproposal: false, prepares: emptyVoteSet('prepare', quorum - 1), commits: emptyVoteSet('commit', quorum), prepared: false };
    s.slots.set(seq, slot);
  }
  return slot;
}
