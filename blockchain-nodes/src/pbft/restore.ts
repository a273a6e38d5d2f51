import { primaryOf, type Chain, type ReplicaId } from '../chain/genesis';
import type { BlockHeader } from '../chain/block';
import type { Message, NewView, PreparedCertificate, StableCheckpoint } from './messages';
import { addOwnCheckpoint, discardHeadersBelow, withinWatermarks } from './checkpoints';
import { initialState, slotAt, type ReplicaState } from './state';
import { storeViewChange } from './view-change';
import { addTrustedVote } from './vote-set';

// A restart: the state rebuilt from what the replica persisted, so that it never contradicts
// anything it signed before ("what a replica signed is persisted before it is sent, so a
// restart can never make it sign two different things for the same (view, seq)").

/**
 * What a replica's storage gives back after a restart, built from its persist records: enough
 * to go on without contradicting anything it signed before.
 */
export interface RecoveredState {
  /** Executed headers with their hashes, ascending, from the stable checkpoint (or below) up to the head; empty if none. */
  executed: { header: BlockHeader; hash: string }[];
  /** Every committed transaction id and its height. */
  committedIds: Iterable<readonly [string, number]>;
  /** The latest stable checkpoint persisted, if any. */
  stable?: StableCheckpoint;
  /** The latest view record persisted, if any. */
  view?: { view: number; changing: boolean; newView?: NewView };
  /** The messages this replica signed (at least those above its stable checkpoint), oldest first. */
  signed: Message[];
  prepared: PreparedCertificate[];
}

/**
 * The state of replica `me` after a restart. Its own pre-prepares put the next sequence number
 * past every height it proposed at; its PREPAREs and COMMITs come back as its votes, so a height
 * it voted at accepts only the digest it voted for; its CHECKPOINT and VIEW-CHANGE votes come
 * back; a prepared certificate of the current view gives back the proposal and the prepares.
 * Slots are rebuilt only for heights the replica may still vote at: in the current view, not
 * while changing, above what it executed and within the watermarks. Pending client
 * transactions are not persisted: the client resubmits.
 */
export function restoreState(chain: Chain, me: ReplicaId, r: RecoveredState, now = 0): ReplicaState {
  const s = initialState(chain, me, now);
  const { quorum } = chain;
  if (r.stable && r.stable.seq > 0) s.stable = r.stable;
  for (const { header, hash } of r.executed) s.recent.set(header.height, { header, hash });
  const head = r.executed[r.executed.length - 1];
  if (head) {
    s.executed = head.header.height;
    s.head = head.header;
    s.headHash = head.hash;
  }
  discardHeadersBelow(s.recent, s.stable.seq, s.executed);
  for (const [id, height] of r.committedIds) s.committedIds.set(id, height);
  if (r.view) {
    s.view = r.view.view;
    s.changing = r.view.changing;
    if (!s.changing && r.view.newView?.view === s.view) s.newView = r.view.newView;
  }
  s.nextSeq = Math.max(s.executed, s.stable.seq) + 1;
  for (const c of r.prepared) if (c.seq > s.stable.seq && (s.prepared.get(c.seq)?.view ?? -1) < c.view) s.prepared.set(c.seq, c);
  const live = (seq: number) => !s.changing && seq > s.executed && withinWatermarks(s.stable.seq, chain.rules.watermarkWindow, seq);
  const openedBy = (nv: NewView) => {
    s.newView = nv;
    for (const pp of nv.prePrepares) {
      if (!live(pp.seq)) continue;
      const slot = slotAt(s, pp.seq, quorum);
      slot.prePrepare = pp;
      slot.reproposal = true;
    }
    const last = nv.prePrepares[nv.prePrepares.length - 1];
    if (last) s.nextSeq = Math.max(s.nextSeq, last.seq + 1);
  };
  if (s.newView) openedBy(s.newView);
  // A prepared certificate of this view gives back the proposal and the prepares behind it.
  for (const c of s.prepared.values()) {
    if (c.view !== s.view || !live(c.seq)) continue;
    const slot = slotAt(s, c.seq, quorum);
    slot.prePrepare ??= { kind: 'pre-prepare', view: c.view, seq: c.seq, digest: c.digest, from: primaryOf(chain, c.view), signature: c.prePrepareSignature, block: c.block };
    if (c.block.header.view !== c.view) slot.reproposal = true;
    for (const p of c.prepares) addTrustedVote(slot.prepares, { view: c.view, seq: c.seq, digest: c.digest, from: p.from, signature: p.signature });
  }
  for (const m of r.signed) {
    switch (m.kind) {
      case 'pre-prepare':
        if (m.view !== s.view) break;
        s.nextSeq = Math.max(s.nextSeq, m.seq + 1);
        if (live(m.seq)) slotAt(s, m.seq, quorum).prePrepare = m;
        break;
      case 'prepare':
      case 'commit': {
        if (m.view !== s.view || !live(m.seq)) break;
        const slot = slotAt(s, m.seq, quorum);
        if (m.kind === 'prepare') slot.sentPrepare = m;
        else slot.sentCommit = m;
        addTrustedVote(m.kind === 'prepare' ? slot.prepares : slot.commits, m);
        break;
      }
      case 'checkpoint':
        if (m.seq > s.stable.seq) addOwnCheckpoint(s.checkpointVotes, m);
        break;
      case 'view-change':
        if (m.view > s.view || (m.view === s.view && s.changing)) storeViewChange(s.viewChanges, m);
        break;
      case 'new-view':
        if (m.view === s.view && !s.changing && s.newView?.signature !== m.signature) openedBy(m);
        break;
    }
  }
  return s;
}
