// Replica-to-replica messages over HTTP keep-alive: per peer, one request in flight carrying
// every message queued meanwhile (a JSON array), so a burst travels as a few large requests.
// Each request is authenticated with an HMAC under a key only the two replicas share (ECDH of
// their genesis keys): the core must know which peer a message came from (STATUS is unsigned).
// Delivery is best effort; PBFT retransmits what matters when a peer reports it lacks it.
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import { fromHex, sha256, utf8 } from '../chain/encoding';
import type { Chain, ReplicaId } from '../chain/genesis';
import type { Message } from '../pbft/messages';
import type { Logger } from '../../../layers/core/log';
import { request } from './http';

export const PEER_PATH = '/peer/messages';
const MAX_QUEUE = 20_000;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** The key replicas `a` and `b` share: both derive it from their own secret and the other's public key. */
export function pairKey(chain: Chain, ownSecret: string, peerPublicKey: string): Buffer {
  const shared = secp.getSharedSecret(fromHex(ownSecret), fromHex(peerPublicKey), true);
  return Buffer.from(sha256(utf8(`cinema-ledger/v1 peer-mac\n${chain.genesisHash}\n`), shared.slice(1)));
}

const mac = (key: Buffer, from: number, to: number, body: string | Buffer) =>
  createHmac('sha256', key).update(`${from}>${to}\n`).update(body).digest('hex');

interface PeerLink {
  id: ReplicaId;
  url: URL;
  key: Buffer;
  queue: string[];
  queuedBytes: number;
  inFlight: boolean;
  failures: number;
  retryAt: number;
  retryTimer?: NodeJS.Timeout;
  lastOkAt?: number;
  lastError?: string;
  dropped: number;
}

export class PeerTransport {
  private readonly links = new Map<ReplicaId, PeerLink>();
  private readonly keys = new Map<ReplicaId, Buffer>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  private closed = false;

  constructor(
    private readonly chain: Chain,
    private readonly self: ReplicaId,
    secretKey: string,
    peerUrls: string[],
    private readonly log: Logger,
  ) {
    for (let id = 0; id < chain.n; id++) {
      if (id === self) continue;
      const key = pairKey(chain, secretKey, chain.replicaKeys[id]);
      this.keys.set(id, key);
      this.links.set(id, { id, url: new URL(PEER_PATH, peerUrls[id]), key, queue: [], queuedBytes: 0, inFlight: false, failures: 0, retryAt: 0, dropped: 0 });
    }
  }

  /** Queues `message` for `to` (every peer for 'all'); it is serialised once. */
  send(to: ReplicaId | 'all', message: Message): void {
    if (this.closed) return;
    const text = JSON.stringify(message);
    if (to === 'all') for (const link of this.links.values()) this.enqueue(link, text);
    else {
      const link = this.links.get(to);
      if (link) this.enqueue(link, text);
    }
  }

  private enqueue(link: PeerLink, text: string): void {
    // While a peer does not answer, what we would send it goes stale: it gets only what is sent
    // after it is back (a probe every backoff), and PBFT's retransmission fills in the rest when
    // it reports what it lacks. A backlog would only delay the news it needs (e.g. a NEW-VIEW).
    if (link.failures > 0 && Date.now() < link.retryAt) {
      link.dropped++;
      return;
    }
    link.queue.push(text);
    link.queuedBytes += text.length;
    // A peer that is down must not fill our memory: the oldest go first (it will ask again).
    while (link.queue.length > MAX_QUEUE) {
      link.queuedBytes -= link.queue.shift()!.length;
      link.dropped++;
    }
    this.pump(link);
  }

  private pump(link: PeerLink): void {
    if (link.inFlight || link.queue.length === 0 || this.closed) return;
    const wait = link.retryAt - Date.now();
    if (wait > 0) {
      link.retryTimer ??= setTimeout(() => {
        link.retryTimer = undefined;
        this.pump(link);
      }, wait);
      return;
    }
    let bytes = 0;
    let count = 0;
    while (count < link.queue.length && (count === 0 || bytes + link.queue[count].length < MAX_BATCH_BYTES)) bytes += link.queue[count++].length;
    const batch = link.queue.splice(0, count);
    link.queuedBytes -= bytes;
    const body = `[${batch.join(',')}]`;
    link.inFlight = true;
    request(this.agent, 'POST', link.url, {
      body,
      headers: { 'x-replica-from': String(this.self), 'x-replica-mac': mac(link.key, this.self, link.id, body) },
      timeoutMs: 10_000,
    }).then(
      (r) => {
        link.inFlight = false;
        if (r.status === 204 || r.status === 200) {
          link.failures = 0;
          link.lastOkAt = Date.now();
          link.lastError = undefined;
        } else this.failed(link, `HTTP ${r.status} ${r.text.slice(0, 200)}`, batch.length);
        this.pump(link);
      },
      (err: Error) => {
        link.inFlight = false;
        this.failed(link, err.message, batch.length);
        this.pump(link);
      },
    );
  }

  private failed(link: PeerLink, reason: string, lost: number): void {
    if (link.failures === 0) this.log.info('peer unreachable; its messages are dropped until it answers', { peer: link.id, reason });
    link.failures++;
    link.dropped += lost + link.queue.length;
    link.queue.length = 0;
    link.queuedBytes = 0;
    link.lastError = reason;
    link.retryAt = Date.now() + Math.min(500, 25 * 2 ** Math.min(link.failures, 5));
  }

  /** Which replica sent a request, if its MAC is right; undefined otherwise. */
  authenticate(fromHeader: string | undefined, macHeader: string | undefined, body: Buffer): ReplicaId | undefined {
    const from = Number(fromHeader);
    const key = this.keys.get(from);
    if (!key || typeof macHeader !== 'string' || !/^[0-9a-f]{64}$/.test(macHeader)) return undefined;
    const expected = Buffer.from(mac(key, from, this.self, body), 'hex');
    return timingSafeEqual(expected, Buffer.from(macHeader, 'hex')) ? from : undefined;
  }

  peers(): { id: ReplicaId; url: string; reachable: boolean; lastOkAt?: string; lastError?: string; queued: number; dropped: number }[] {
    return [...this.links.values()].map((l) => ({
      id: l.id,
      url: l.url.origin,
      reachable: l.failures === 0 && l.lastOkAt !== undefined,
      lastOkAt: l.lastOkAt ? new Date(l.lastOkAt).toISOString() : undefined,
      lastError: l.lastError,
      queued: l.queue.length,
      dropped: l.dropped,
    }));
  }

  close(): void {
    this.closed = true;
    for (const l of this.links.values()) clearTimeout(l.retryTimer);
    this.agent.destroy();
  }
}
