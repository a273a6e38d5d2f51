// Replica-to-replica messages over one persistent connection per peer: an HTTP request upgraded
// to a plain stream (`Upgrade: cinema-pbft/1`, as WebSocket does, without its framing), on
// which each frame is one line: `<mac> <JSON list of messages>`. Whatever was queued in one
// turn of the event loop leaves as one frame. Each frame carries an HMAC under a key only the
// two replicas share (ECDH of their genesis keys) over the direction and the frame's number on
// its connection, so a frame cannot be forged, replayed or reordered on it: the core must know
// which peer a message came from (STATUS is unsigned). Delivery is best effort; PBFT retransmits
// what matters when a peer reports what it lacks. POST /peer/messages (one HMAC'd list per
// request) is the same thing without a standing connection.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import { fromHex, sha256, utf8 } from '../chain/encoding';
import type { Chain, ReplicaId } from '../chain/genesis';
import type { Message } from '../pbft/messages';
import type { Logger } from '../../../layers/core/log';

export const PEER_PATH = '/peer/messages';
export const PEER_STREAM_PATH = '/peer/stream';
const PROTOCOL = 'cinema-pbft/1';
const MAX_QUEUE = 20_000;
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** The key replicas `a` and `b` share: both derive it from their own secret and the other's public key. */
export function pairKey(chain: Chain, ownSecret: string, peerPublicKey: string): Buffer {
  const shared = secp.getSharedSecret(fromHex(ownSecret), fromHex(peerPublicKey), true);
  return Buffer.from(sha256(utf8(`cinema-ledger/v1 peer-mac\n${chain.genesisHash}\n`), shared.slice(1)));
}

/** The MAC of one list of messages from `from` to `to`; `frame` numbers it on its connection (-1: a single POST). */
export const peerMac = (key: Buffer, from: number, to: number, frame: number, body: string | Buffer) =>
  createHmac('sha256', key).update(`${from}>${to}#${frame}\n`).update(body).digest('hex');

const macMatches = (expected: string, given: string) => /^[0-9a-f]{64}$/.test(given) && timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));

interface PeerLink {
  id: ReplicaId;
  url: URL;
  key: Buffer;
  queue: string[];
  socket?: Duplex;
  connecting: boolean;
  frame: number;
  flushScheduled: boolean;
  failures: number;
  retryAt: number;
  retryTimer?: NodeJS.Timeout;
  connectedAt?: number;
  lastError?: string;
  dropped: number;
}

export class PeerTransport {
  private readonly links = new Map<ReplicaId, PeerLink>();
  private readonly keys = new Map<ReplicaId, Buffer>();
  private readonly inbound = new Set<Duplex>();
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
      this.links.set(id, { id, url: new URL(PEER_STREAM_PATH, peerUrls[id]), key, queue: [], connecting: false, frame: 0, flushScheduled: false, failures: 0, retryAt: 0, dropped: 0 });
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
    // after it is back, and PBFT's retransmission fills in the rest when it reports what it
    // lacks. A backlog would only delay the news it needs (e.g. a NEW-VIEW).
    if (!link.socket && link.failures > 0 && Date.now() < link.retryAt) {
      link.dropped++;
      this.scheduleRetry(link);
      return;
    }
    link.queue.push(text);
    if (link.queue.length > MAX_QUEUE) link.dropped += link.queue.splice(0, link.queue.length - MAX_QUEUE).length;
    if (!link.socket) return this.connect(link);
    if (!link.flushScheduled) {
      link.flushScheduled = true;
      setImmediate(() => this.flush(link));
    }
  }

  private flush(link: PeerLink): void {
    link.flushScheduled = false;
    const socket = link.socket;
    if (!socket || link.queue.length === 0) return;
    // A peer that stopped reading (hung, not gone) must not grow our memory: drop the connection and start over.
    if (socket.writableLength > MAX_FRAME_BYTES) {
      link.dropped += link.queue.length;
      link.queue.length = 0;
      link.lastError = 'the peer stopped reading';
      socket.destroy();
      return;
    }
    const body = `[${link.queue.join(',')}]`;
    link.queue.length = 0;
    socket.write(`${peerMac(link.key, this.self, link.id, link.frame++, body)} ${body}\n`);
  }

  private scheduleRetry(link: PeerLink): void {
    link.retryTimer ??= setTimeout(() => {
      link.retryTimer = undefined;
      if (!this.closed && !link.socket) this.connect(link);
    }, Math.max(0, link.retryAt - Date.now()));
  }

  private connect(link: PeerLink): void {
    if (link.connecting || this.closed) return;
    link.connecting = true;
    const req = http.request(link.url, {
      method: 'GET',
      headers: { connection: 'Upgrade', upgrade: PROTOCOL, 'x-replica-from': String(this.self) },
    });
    const fail = (reason: string) => {
      link.connecting = false;
      link.socket = undefined;
      if (link.failures === 0) this.log.info('peer unreachable; its messages are dropped until it answers', { peer: link.id, reason });
      link.failures++;
      link.lastError = reason;
      link.dropped += link.queue.length;
      link.queue.length = 0;
      link.retryAt = Date.now() + Math.min(500, 25 * 2 ** Math.min(link.failures, 5));
      this.scheduleRetry(link);
    };
    req.setTimeout(5_000, () => req.destroy(new Error('no answer to the connection request')));
    req.on('error', (err) => fail(err.message));
    req.on('response', (res) => {
      res.resume();
      fail(`HTTP ${res.statusCode} instead of a stream`);
    });
    req.on('upgrade', (_res, socket) => {
      req.setTimeout(0);
      link.connecting = false;
      link.socket = socket;
      link.frame = 0;
      link.failures = 0;
      link.lastError = undefined;
      link.connectedAt = Date.now();
      (socket as import('node:net').Socket).setNoDelay?.(true);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        if (link.socket !== socket) return;
        link.socket = undefined;
        if (!this.closed) this.connect(link);
      });
      socket.resume(); // the peer never writes back on it
      if (link.queue.length) this.flush(link);
    });
    req.end();
  }

  /** Takes an upgrade request from a peer: its frames are delivered as messages from it, once their MACs check out. */
  acceptStream(req: http.IncomingMessage, socket: Duplex, head: Buffer, deliver: (from: ReplicaId, message: Message) => void): void {
    const from = Number(req.headers['x-replica-from']);
    const key = this.keys.get(from);
    if (!key || String(req.headers.upgrade).toLowerCase() !== PROTOCOL) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: ${PROTOCOL}\r\nconnection: Upgrade\r\n\r\n`);
    (socket as import('node:net').Socket).setNoDelay?.(true);
    this.inbound.add(socket);
    let frame = 0;
    let pending = head.length ? head.toString('utf8') : '';
    const refuse = (why: string) => {
      this.log.warn('peer stream refused', { peer: from, reason: why });
      socket.destroy();
    };
    const onLine = (line: string) => {
      const space = line.indexOf(' ');
      const given = line.slice(0, space);
      const body = line.slice(space + 1);
      const n = frame++;
      if (space !== 64 || !macMatches(peerMac(key, from, this.self, n, body), given)) return refuse(`frame ${n}: the MAC does not match`);
      let messages: unknown;
      try {
        messages = JSON.parse(body);
      } catch {
        return refuse(`frame ${n}: not JSON`);
      }
      if (!Array.isArray(messages)) return refuse(`frame ${n}: not a list`);
      for (const m of messages) deliver(from, m as Message);
    };
    const consume = () => {
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0 && !socket.destroyed) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        onLine(line);
      }
      if (pending.length > MAX_FRAME_BYTES) refuse('frame too large');
    };
    // (an HTTP server's socket may not change its encoding: decode here, keeping split characters whole)
    const decoder = new StringDecoder('utf8');
    socket.on('data', (chunk: Buffer) => {
      pending += decoder.write(chunk);
      consume();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.inbound.delete(socket));
    consume();
  }

  /** Which replica sent a POST /peer/messages, if its MAC is right; undefined otherwise. */
  authenticate(fromHeader: string | undefined, macHeader: string | undefined, body: Buffer): ReplicaId | undefined {
    const from = Number(fromHeader);
    const key = this.keys.get(from);
    if (!key || typeof macHeader !== 'string') return undefined;
    return macMatches(peerMac(key, from, this.self, -1, body), macHeader) ? from : undefined;
  }

  peers(): { id: ReplicaId; url: string; reachable: boolean; connectedAt?: string; lastError?: string; queued: number; dropped: number }[] {
    return [...this.links.values()].map((l) => ({
      id: l.id,
      url: l.url.origin,
      reachable: !!l.socket,
      connectedAt: l.connectedAt ? new Date(l.connectedAt).toISOString() : undefined,
      lastError: l.lastError,
      queued: l.queue.length,
      dropped: l.dropped,
    }));
  }

  close(): void {
    this.closed = true;
    for (const l of this.links.values()) {
      clearTimeout(l.retryTimer);
      l.socket?.destroy();
    }
    for (const s of this.inbound) s.destroy();
  }
}
