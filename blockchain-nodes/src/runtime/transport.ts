// Replica-to-replica messages over one persistent connection per peer: an HTTP request upgraded
// to a plain stream (`Upgrade: cinema-pbft/1`, as WebSocket does, without its framing). Before
// it reads a single frame, the accepting replica makes the connecting one prove it holds the key
// the two share (ECDH of their genesis keys): its `101` carries a fresh random challenge, and the
// first line back must be the HMAC of that challenge. Until then it holds at most that one short
// line, for a bounded time, and only so many connections at once; anyone else is turned away
// before they cost memory. After it, each frame is one line, `<mac> <JSON list of messages>`,
// at most a bounded length; whatever was queued in one turn of the event loop leaves as one
// frame (or a few, if long). Each frame's HMAC, under a key bound to this connection's challenge,
// covers the direction and the frame's number on its connection, so a frame cannot be forged,
// replayed (on this connection or another) or reordered: the core must know which peer a
// message came from (STATUS is unsigned). Delivery is best effort; PBFT retransmits what matters
// when a peer reports what it lacks. POST /peer/messages (one HMAC'd list per request) is the
// same thing without a standing connection.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as secp from '@noble/secp256k1';
import { fromHex, sha256, utf8 } from '../chain/encoding';
import type { Chain, ReplicaId } from '../chain/genesis';
import type { Message } from '../pbft/messages';
import type { Logger } from '../../../layers/core/log';
import { HttpError, readBody } from './http';

export const PEER_PATH = '/peer/messages';
export const PEER_STREAM_PATH = '/peer/stream';
const PROTOCOL = 'cinema-pbft/1';
const MAX_QUEUE = 20_000;
/** What a peer that stopped reading may leave unsent here before its connection is dropped. */
const MAX_UNSENT_BYTES = 64 * 1024 * 1024;
/** A sender cuts its queue into frames of about this many characters, far below what a peer accepts. */
const FRAME_TARGET_CHARS = 1024 * 1024;
/** A POST /peer/messages is read before its MAC can be checked: it gets a small bound. */
const MAX_POST_BYTES = 1024 * 1024;
const CHALLENGE_HEADER = 'x-peer-challenge';
const HEX64 = /^[0-9a-f]{64}$/;

export interface PeerLimits {
  /** The longest frame a peer may send; a longer one closes its stream. A full block of the largest transactions fits. */
  maxFrameBytes: number;
  /** How long a connection has, from its upgrade (or a POST from its start), to prove it is a peer. */
  handshakeMs: number;
  /** Peer connections and POSTs not yet authenticated; more are refused (503). */
  maxUnauthenticated: number;
}

export const defaultPeerLimits: PeerLimits = { maxFrameBytes: 16 * 1024 * 1024, handshakeMs: 2_000, maxUnauthenticated: 16 };

/** Why a peer connection was turned away, as counted in a replica's status. */
export type Refusal = 'unknown-peer' | 'busy' | 'bad-answer' | 'silent' | 'frame-too-long' | 'bad-mac' | 'bad-frame';

/** The key replicas `a` and `b` share: both derive it from their own secret and the other's public key. */
export function pairKey(chain: Chain, ownSecret: string, peerPublicKey: string): Buffer {
  const shared = secp.getSharedSecret(fromHex(ownSecret), fromHex(peerPublicKey), true);
  return Buffer.from(sha256(utf8(`cinema-ledger/v1 peer-mac\n${chain.genesisHash}\n`), shared.slice(1)));
}

/** The MAC of one list of messages from `from` to `to`; `frame` numbers it on its connection (-1: a single POST). */
export const peerMac = (key: Buffer, from: number, to: number, frame: number, body: string | Buffer) =>
  createHmac('sha256', key).update(`${from}>${to}#${frame}\n`).update(body).digest('hex');

/** What `from` answers to the challenge `nonce` from `to`: proof that it holds their key, good for this one connection. */
export const challengeAnswer = (key: Buffer, from: number, to: number, nonce: string) =>
  createHmac('sha256', key).update(`${from}>${to} challenge\n${nonce}`).digest('hex');

/** The key the frames of one connection are MAC'd under: bound to its challenge, so no frame of another connection counts on it. */
export const sessionKey = (key: Buffer, from: number, to: number, nonce: string) =>
  createHmac('sha256', key).update(`${from}>${to} session\n${nonce}`).digest();

const macMatches = (expected: string, given: string) => HEX64.test(given) && timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));

/**
 * Cuts a byte stream into lines (without their `\n`) for `onLine`, which returns false to stop.
 * It holds at most `limit()` bytes of a line not yet ended; past that it calls `tooLong` and
 * reads no more. Lines end at a byte, so a UTF-8 character is never cut.
 */
function lineReader(limit: () => number, onLine: (line: Buffer) => boolean, tooLong: () => void): (chunk: Buffer) => void {
  let held: Buffer[] = [];
  let size = 0;
  let over = false;
  return (chunk) => {
    let start = 0;
    while (!over) {
      const nl = chunk.indexOf(10, start);
      if (size + (nl < 0 ? chunk.length : nl) - start > limit()) {
        over = true;
        held = [];
        return tooLong();
      }
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const line = held.length ? Buffer.concat([...held, piece]) : piece;
      held = [];
      size = 0;
      start = nl + 1;
      if (!onLine(line)) {
        over = true;
        return;
      }
    }
    if (!over && start < chunk.length) {
      held.push(chunk.subarray(start));
      size += chunk.length - start;
    }
  };
}

interface PeerLink {
  id: ReplicaId;
  url: URL;
  key: Buffer;
  /** The current connection's frame key (see sessionKey). */
  session?: Buffer;
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
  /** Inbound streams that have answered their challenge. */
  private readonly authenticated = new Set<Duplex>();
  /** Peer connections and POSTs that have not proved who they are yet. */
  private unauthenticated = 0;
  private readonly refusals: Partial<Record<Refusal, number>> & { total: number } = { total: 0 };
  private refusalsLoggedAt = 0;
  private refusalsUnlogged = 0;
  private readonly limits: PeerLimits;
  private closed = false;

  constructor(
    private readonly chain: Chain,
    private readonly self: ReplicaId,
    secretKey: string,
    peerUrls: string[],
    private readonly log: Logger,
    limits: Partial<PeerLimits> = {},
  ) {
    this.limits = { ...defaultPeerLimits, ...limits };
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
    // A peer would close the stream on a frame this long: better to lose the message than the connection.
    if (text.length * 3 + 80 > this.limits.maxFrameBytes && Buffer.byteLength(text) + 80 > this.limits.maxFrameBytes) {
      this.log.error('message too long for a peer frame; not sent', { kind: message.kind, bytes: Buffer.byteLength(text), limit: this.limits.maxFrameBytes });
      return;
    }
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
    if (socket.writableLength > MAX_UNSENT_BYTES) {
      link.dropped += link.queue.length;
      link.queue.length = 0;
      link.lastError = 'the peer stopped reading';
      socket.destroy();
      return;
    }
    const queue = link.queue;
    const key = link.session!;
    for (let first = 0; first < queue.length; ) {
      let end = first + 1;
      for (let chars = queue[first].length; end < queue.length && chars + queue[end].length < FRAME_TARGET_CHARS; end++) chars += queue[end].length + 1;
      const body = `[${first === 0 && end === queue.length ? queue.join(',') : queue.slice(first, end).join(',')}]`;
      socket.write(`${peerMac(key, this.self, link.id, link.frame++, body)} ${body}\n`);
      first = end;
    }
    queue.length = 0;
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
    req.on('upgrade', (res, socket) => {
      req.setTimeout(0);
      const nonce = res.headers[CHALLENGE_HEADER];
      if (typeof nonce !== 'string' || !HEX64.test(nonce)) {
        socket.destroy();
        return fail('the peer sent no challenge');
      }
      link.connecting = false;
      link.socket = socket;
      link.session = sessionKey(link.key, this.self, link.id, nonce);
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
      socket.write(`${challengeAnswer(link.key, this.self, link.id, nonce)}\n`);
      if (link.queue.length) this.flush(link);
    });
    req.end();
  }

  /**
   * Takes an upgrade request from a peer: once it has answered the challenge, its frames are
   * delivered as messages from it, as long as their MACs check out. Nothing it sends before is
   * read beyond the answer's 64 characters.
   */
  acceptStream(req: http.IncomingMessage, socket: Duplex, head: Buffer, deliver: (from: ReplicaId, message: Message) => void): void {
    const from = Number(req.headers['x-replica-from']);
    const key = this.keys.get(from);
    if (!key || String(req.headers.upgrade).toLowerCase() !== PROTOCOL) return this.turnAway(socket, '401 Unauthorized', from, 'unknown-peer');
    if (this.unauthenticated >= this.limits.maxUnauthenticated) return this.turnAway(socket, '503 Service Unavailable', from, 'busy');
    const nonce = randomBytes(32).toString('hex');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: ${PROTOCOL}\r\nconnection: Upgrade\r\n${CHALLENGE_HEADER}: ${nonce}\r\n\r\n`);
    (socket as import('node:net').Socket).setNoDelay?.(true);
    this.inbound.add(socket);
    this.unauthenticated++;
    let waiting = true;
    let session: Buffer | undefined;
    let frame = 0;
    const stopWaiting = () => {
      if (!waiting) return;
      waiting = false;
      this.unauthenticated--;
      clearTimeout(deadline);
    };
    const refuse = (reason: Refusal, detail: string) => {
      this.noteRefusal(from, reason, detail, !!session);
      socket.destroy();
    };
    // A slow answer is as good as none: the deadline runs from the upgrade, whatever arrives meanwhile.
    const deadline = setTimeout(() => refuse('silent', `no answer to the challenge within ${this.limits.handshakeMs} ms`), this.limits.handshakeMs);
    const onLine = (line: Buffer): boolean => {
      if (!session) {
        if (!macMatches(challengeAnswer(key, from, this.self, nonce), line.toString('latin1'))) {
          refuse('bad-answer', 'the answer to the challenge is wrong');
          return false;
        }
        stopWaiting();
        session = sessionKey(key, from, this.self, nonce);
        this.authenticated.add(socket);
        return true;
      }
      const n = frame++;
      const given = line.toString('latin1', 0, 64);
      const body = line.subarray(65);
      if (line[64] !== 0x20 || !macMatches(peerMac(session, from, this.self, n, body), given)) {
        refuse('bad-mac', `frame ${n}: the MAC does not match`);
        return false;
      }
      let messages: unknown;
      try {
        messages = JSON.parse(body.toString('utf8'));
      } catch {
        refuse('bad-frame', `frame ${n}: not JSON`);
        return false;
      }
      if (!Array.isArray(messages)) {
        refuse('bad-frame', `frame ${n}: not a list`);
        return false;
      }
      for (const m of messages) deliver(from, m as Message);
      return !socket.destroyed;
    };
    const read = lineReader(
      () => (session ? this.limits.maxFrameBytes : 64),
      onLine,
      () => (session ? refuse('frame-too-long', `a frame over ${this.limits.maxFrameBytes} bytes`) : refuse('bad-answer', 'the answer to the challenge is not 64 hex characters')),
    );
    socket.on('data', read);
    socket.on('error', () => undefined);
    // (an upgraded server socket is half-open: a peer that hangs up would otherwise stay counted)
    socket.on('end', () => socket.destroy());
    socket.on('close', () => {
      stopWaiting();
      this.inbound.delete(socket);
      this.authenticated.delete(socket);
    });
    if (head.length) read(head);
  }

  /** Answers an upgrade it will not take with `status`, reading nothing of what the caller sends. */
  private turnAway(socket: Duplex, status: string, from: number, reason: Refusal): void {
    this.noteRefusal(Number.isSafeInteger(from) ? from : undefined, reason, reason === 'busy' ? 'too many connections waiting to prove who they are' : 'not a peer of this replica', false);
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`, () => socket.destroy());
  }

  /**
   * Counts a refusal; logs it, except that refusals of connections that never proved anything are
   * summed up at most every few seconds (a flood must not become a flood of log lines).
   */
  private noteRefusal(peer: number | undefined, reason: Refusal, detail: string, afterAuthentication: boolean): void {
    this.refusals.total++;
    this.refusals[reason] = (this.refusals[reason] ?? 0) + 1;
    const now = Date.now();
    if (!afterAuthentication && now - this.refusalsLoggedAt < 5_000) {
      this.refusalsUnlogged++;
      return;
    }
    this.log.warn('peer stream refused', { peer, reason: detail, ...(afterAuthentication ? {} : { refusedUnloggedBefore: this.refusalsUnlogged }) });
    if (!afterAuthentication) {
      this.refusalsLoggedAt = now;
      this.refusalsUnlogged = 0;
    }
  }

  /**
   * Reads a POST /peer/messages: who claims to send it is checked before anything is read, the
   * body is bounded and must arrive in time, and it counts as an unauthenticated connection until
   * its MAC is checked. Throws an HttpError the caller answers with.
   */
  async acceptPost(req: http.IncomingMessage): Promise<{ from: ReplicaId; messages: Message[] }> {
    const from = Number(req.headers['x-replica-from']);
    const key = this.keys.get(from);
    const mac = req.headers['x-replica-mac'];
    if (!key || typeof mac !== 'string' || !HEX64.test(mac)) throw new HttpError(401, 'unauthenticated', 'not a peer of this replica');
    if (this.unauthenticated >= this.limits.maxUnauthenticated) {
      this.noteRefusal(from, 'busy', 'too many connections waiting to prove who they are', false);
      throw new HttpError(503, 'busy', 'too many peer connections waiting to prove who they are');
    }
    this.unauthenticated++;
    let timer: NodeJS.Timeout | undefined;
    let body: Buffer;
    try {
      body = await Promise.race([
        readBody(req, MAX_POST_BYTES),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new HttpError(408, 'too_slow', `the body did not arrive within ${this.limits.handshakeMs} ms`));
            req.destroy();
          }, this.limits.handshakeMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.unauthenticated--;
    }
    if (!macMatches(peerMac(key, from, this.self, -1, body), mac)) throw new HttpError(401, 'unauthenticated', 'not a peer of this replica');
    let messages: unknown;
    try {
      messages = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'malformed_json', 'the body is not JSON');
    }
    if (!Array.isArray(messages)) throw new HttpError(400, 'malformed_messages', 'expected a list of messages');
    return { from, messages: messages as Message[] };
  }

  /** Inbound peer streams: how many are authenticated, how many are still to answer, and what was refused. */
  streams(): { authenticated: number; unauthenticated: number; refused: Partial<Record<Refusal, number>> & { total: number } } {
    return { authenticated: this.authenticated.size, unauthenticated: this.unauthenticated, refused: { ...this.refusals } };
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
