import type { CommittedBlock } from '../chain/block';
import type { Transaction } from '../chain/transaction';
import type { Message } from '../pbft/messages';
import type { Random } from './random';

export type Endpoint = number | 'client';

/** What travels: protocol messages, and the runtime's own traffic (client submissions and replies, block fetching). */
export type Payload =
  | { layer: 'pbft'; message: Message }
  | { layer: 'submit'; transaction: Transaction }
  | { layer: 'reply'; txId: string; height: number; blockHash: string }
  | { layer: 'fetch'; fromHeight: number }
  | { layer: 'blocks'; blocks: CommittedBlock[] };

export interface Envelope {
  from: Endpoint;
  to: Endpoint;
  payload: Payload;
}

export interface NetworkStats {
  sent: number;
  dropped: number;
  cut: number;
  duplicated: number;
}

/** Decides each envelope's fate: one delay per copy delivered; none means it is lost. */
export interface NetworkPolicy {
  deliveries(envelope: Envelope, now: number, rng: Random, stats: NetworkStats): number[];
}

export interface Partition {
  start: number;
  end: number;
  /** Replicas in different groups cannot reach each other; a replica in no group is cut off from all. */
  groups: number[][];
}

/** Until `healAt` the network drops, duplicates, delays (and so reorders) and partitions; after it, it only delays a little. */
export interface HostileNetwork {
  healAt: number;
  dropRate: number;
  duplicateRate: number;
  maxDelay: number;
  partitions: Partition[];
  calmMaxDelay: number;
  /**
   * Extra loss aimed at protocol phases: a (kind, sequence number, recipient) either always or
   * never loses its messages, so replicas end up prepared on different things — the ground a
   * view change has to get right.
   */
  targeted?: { kinds: string[]; rate: number };
}

export function cutOff(partitions: readonly Partition[], a: number, b: number, now: number): boolean {
  for (const p of partitions) {
    if (now < p.start || now >= p.end) continue;
    const ga = p.groups.findIndex((g) => g.includes(a));
    const gb = p.groups.findIndex((g) => g.includes(b));
    if (ga < 0 || gb < 0 || ga !== gb) return true;
  }
  return false;
}

export function hostilePolicy(net: HostileNetwork): NetworkPolicy {
  const doomed = new Map<string, boolean>();
  return {
    deliveries({ from, to, payload }, now, rng, stats) {
      stats.sent++;
      if (now >= net.healAt) return [rng.int(1, net.calmMaxDelay)];
      if (net.targeted && payload.layer === 'pbft' && net.targeted.kinds.includes(payload.message.kind)) {
        const m = payload.message as { kind: string; seq?: number; view?: number };
        const key = `${m.kind}:${m.seq ?? m.view}:${String(to)}`;
        let lost = doomed.get(key);
        if (lost === undefined) doomed.set(key, (lost = rng.chance(net.targeted.rate)));
        if (lost) {
          stats.dropped++;
          return [];
        }
      }
      // The client stands outside the replicas' partitions but not outside loss and delay.
      if (typeof from === 'number' && typeof to === 'number' && cutOff(net.partitions, from, to, now)) {
        stats.cut++;
        return [];
      }
      if (rng.chance(net.dropRate)) {
        stats.dropped++;
        return [];
      }
      const delays = [rng.int(1, net.maxDelay)];
      if (rng.chance(net.duplicateRate)) {
        stats.duplicated++;
        delays.push(rng.int(1, net.maxDelay * 2));
      }
      return delays;
    },
  };
}

/** For scenarios: every message takes `delay` ms unless a rule in `drop` says it is lost. */
export function scriptedPolicy(delay = 1): NetworkPolicy & { drop: ((envelope: Envelope, now: number) => boolean)[] } {
  const drop: ((envelope: Envelope, now: number) => boolean)[] = [];
  return {
    drop,
    deliveries(envelope, now, _rng, stats) {
      stats.sent++;
      if (drop.some((rule) => rule(envelope, now))) {
        stats.dropped++;
        return [];
      }
      return [delay];
    },
  };
}

/** Min-heap of timed events; ties keep insertion order, so a run is a function of its seed. */
export class EventQueue<T> {
  private heap: { at: number; order: number; item: T }[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, item: T): void {
    const entry = { at, order: this.counter++, item };
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  peekTime(): number {
    return this.heap.length ? this.heap[0].at : Number.POSITIVE_INFINITY;
  }

  pop(): { at: number; item: T } | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return { at: top.at, item: top.item };
  }

  private less(a: { at: number; order: number }, b: { at: number; order: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }
}
