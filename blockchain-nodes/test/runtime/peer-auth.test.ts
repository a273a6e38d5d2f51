// The peer transport in one process: a replica's acceptor behind a plain HTTP server, and peers
// that are honest (a PeerTransport) or not (raw sockets). A peer must answer a fresh challenge
// before any frame of it is read; frames are bounded; a silent or slow peer is dropped after a
// bounded time; only so many connections may wait to prove who they are.
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/chain/crypto';
import { defaultRules } from '../../src/chain/genesis';
import { chainOf } from '../../src/chain/verify';
import type { Message } from '../../src/pbft/messages';
import { challengeAnswer, defaultPeerLimits, pairKey, peerMac, PeerTransport, sessionKey, type PeerLimits } from '../../src/runtime/transport';
import type { Logger } from '../../../layers/core/log';
import { sleep } from './support';

const keys = Array.from({ length: 4 }, generateKeyPair);
const chain = chainOf({
  chainName: 'peer-auth-test',
  createdAt: 0,
  replicas: keys.map((k, id) => ({ id, address: `http://127.0.0.1:${9 + id}`, publicKey: k.publicKey })),
  submitters: [],
  rules: defaultRules,
});
const keyOf = (from: number, to: number) => pairKey(chain, keys[from].secretKey, keys[to].publicKey);
const status = (from: number, executed = 0): Message => ({ kind: 'status', from, view: 0, changing: false, executed, stable: 0 });

function recordingLog() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  const log: Logger = { debug: () => undefined, info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return { log, lines };
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`)));
}

/** Replica 0's side of the transport, wired as the replica's server wires it. */
async function acceptor(limits: Partial<PeerLimits> = {}) {
  const { log, lines } = recordingLog();
  const transport = new PeerTransport(chain, 0, keys[0].secretKey, chain.genesis.replicas.map((r) => r.address), log, limits);
  const delivered: { from: number; message: Message }[] = [];
  const sockets: net.Socket[] = [];
  /** Newlines each accepted socket brought: its frames (and its answer). */
  const lineCounts = new Map<Duplex, number>();
  const server = http.createServer((req, res) => {
    transport.acceptPost(req).then(
      ({ from, messages }) => {
        for (const message of messages) delivered.push({ from, message });
        res.writeHead(204).end();
      },
      (err: { status?: number; code?: string }) => res.writeHead(err.status ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: err.code } })),
    );
  });
  server.on('upgrade', (req, socket: net.Socket, head) => {
    sockets.push(socket);
    lineCounts.set(socket, 0);
    socket.on('data', (chunk: Buffer) => lineCounts.set(socket, lineCounts.get(socket)! + chunk.filter((b) => b === 10).length));
    transport.acceptStream(req, socket, head, (from, message) => delivered.push({ from, message }));
  });
  const url = await listen(server);
  closers.push(() => {
    transport.close();
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { url, transport, delivered, sockets, lineCounts, lines };
}

/** A PeerTransport for replica `id` whose link to replica 0 goes to `url`. */
function honestPeer(id: number, url: string, limits: Partial<PeerLimits> = {}) {
  const { log, lines } = recordingLog();
  const urls = chain.genesis.replicas.map((r) => r.address);
  urls[0] = url;
  const transport = new PeerTransport(chain, id, keys[id].secretKey, urls, log, limits);
  closers.push(() => transport.close());
  return { transport, lines };
}

/** Asks `url` for a peer stream as replica `from`, and says nothing yet. */
function upgrade(url: string, from: number) {
  return new Promise<{ status: number; socket?: Duplex; challenge?: string }>((resolve, reject) => {
    const req = http.request(new URL('/peer/stream', url), { agent: false, headers: { connection: 'Upgrade', upgrade: 'cinema-pbft/1', 'x-replica-from': String(from) } });
    req.on('upgrade', (res, socket) => {
      socket.on('error', () => undefined);
      closers.push(() => void socket.destroy());
      resolve({ status: 101, socket, challenge: res.headers['x-peer-challenge'] as string | undefined });
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A stream as replica `from` that answered its challenge with the pair's key; `frame` makes its next frame. */
async function asPeer(url: string, from = 1) {
  const { status: code, socket, challenge } = await upgrade(url, from);
  expect(code).toBe(101);
  expect(challenge).toMatch(/^[0-9a-f]{64}$/);
  const key = keyOf(from, 0);
  socket!.write(`${challengeAnswer(key, from, 0, challenge!)}\n`);
  const session = sessionKey(key, from, 0, challenge!);
  let n = 0;
  return { socket: socket!, frame: (messages: unknown[]) => `${peerMac(session, from, 0, n++, JSON.stringify(messages))} ${JSON.stringify(messages)}\n` };
}

/** Milliseconds until `socket` closes, or undefined if it is still open after `ms`. */
function closedWithin(socket: Duplex, ms: number): Promise<number | undefined> {
  const started = performance.now();
  if (socket.destroyed) return Promise.resolve(0);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

async function until(what: string, check: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('peer transport: authentication before anything is buffered', () => {
  it('an honest peer answers a fresh challenge and its messages arrive; a long queue leaves as several frames, a message too long for any frame is not sent', async () => {
    const a = await acceptor();
    const peer = honestPeer(1, a.url);
    peer.transport.send(0, status(1));
    await until('the first message', () => a.delivered.length === 1);
    const requests = Array.from({ length: 60 }, (_, i) => ({ kind: 'request', transaction: { id: `tx-${i}`, payload: 'x'.repeat(50_000) } }) as unknown as Message);
    for (const r of requests) peer.transport.send(0, r);
    peer.transport.send(0, { kind: 'request', transaction: { id: 'huge', payload: 'y'.repeat(defaultPeerLimits.maxFrameBytes) } } as unknown as Message);
    peer.transport.send(0, status(1, 7));
    await until('every message', () => a.delivered.length === 62);
    expect(a.delivered.map((d) => d.from)).toEqual(Array(62).fill(1));
    expect(a.delivered.slice(1, 61).map((d) => (d.message as any).transaction.id)).toEqual(requests.map((r) => (r as any).transaction.id));
    expect(a.delivered[61].message).toEqual(status(1, 7));
    // ~3 MB of queue left as several frames, each far under the bound: the answer line plus at least 3 frames
    expect(a.lineCounts.get(a.sockets[0])).toBeGreaterThanOrEqual(1 + 1 + 3);
    expect(peer.lines.some((l) => l.level === 'error' && l.msg.includes('too long for a peer frame'))).toBe(true);
    expect(a.transport.streams()).toMatchObject({ authenticated: 1, unauthenticated: 0, refused: { total: 0 } });
    expect(a.sockets[0].destroyed).toBe(false);
  });

  it('a peer that fails the challenge is refused before any frame is read: a replayed handshake, or an answer under another key', async () => {
    // An honest session, recorded by a server that hands out a challenge of its own choosing.
    const recorded: Buffer[] = [];
    const oldChallenge = 'ab'.repeat(32);
    const recorder = http.createServer();
    recorder.on('upgrade', (_req, socket: net.Socket) => {
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: cinema-pbft/1\r\nconnection: Upgrade\r\nx-peer-challenge: ${oldChallenge}\r\n\r\n`);
      socket.on('data', (c: Buffer) => recorded.push(c));
      socket.on('error', () => undefined);
      closers.push(() => void socket.destroy());
    });
    const recorderUrl = await listen(recorder);
    closers.push(() => new Promise<void>((r) => recorder.close(() => r())));
    const peer = honestPeer(1, recorderUrl);
    peer.transport.send(0, status(1, 3));
    const bytes = () => Buffer.concat(recorded);
    await until('the recorded frame', () => bytes().filter((b) => b === 10).length >= 2);
    peer.transport.close();
    // what was recorded would have been accepted on its own connection: a right answer, then a frame under that connection's key
    const [answer, frame] = bytes().toString('utf8').split('\n');
    expect(answer).toBe(challengeAnswer(keyOf(1, 0), 1, 0, oldChallenge));
    expect(frame.slice(0, 64)).toBe(peerMac(sessionKey(keyOf(1, 0), 1, 0, oldChallenge), 1, 0, 0, frame.slice(65)));

    const a = await acceptor();
    const replay = await upgrade(a.url, 1);
    expect(replay.status).toBe(101);
    expect(replay.challenge).not.toBe(oldChallenge);
    replay.socket!.write(bytes());
    expect(await closedWithin(replay.socket!, 2_000)).toBeDefined();

    // the right shape, the wrong key (replica 2's pair key while claiming to be 1), then a valid-looking frame and 4 MiB more
    const impostor = await upgrade(a.url, 1);
    const key = keyOf(2, 0);
    impostor.socket!.write(`${challengeAnswer(key, 1, 0, impostor.challenge!)}\n`);
    impostor.socket!.write(`${peerMac(sessionKey(key, 1, 0, impostor.challenge!), 1, 0, 0, '[]')} []\n`);
    impostor.socket!.write(Buffer.alloc(4 * 1024 * 1024, 'a'));
    expect(await closedWithin(impostor.socket!, 2_000)).toBeDefined();

    expect(a.delivered).toEqual([]);
    expect(a.transport.streams()).toMatchObject({ authenticated: 0, unauthenticated: 0, refused: { total: 2, 'bad-answer': 2 } });
    // the acceptor stopped reading at the answer: of 4 MiB sent, it took in at most a socket read or two
    await until('both sockets closed', () => a.sockets.every((s) => s.destroyed));
    for (const s of a.sockets) expect(s.bytesRead).toBeLessThan(256 * 1024);
  });

  it('an over-long frame closes the stream, one just under the bound is delivered', async () => {
    const a = await acceptor();
    const peer = await asPeer(a.url);
    peer.socket.write(peer.frame([status(1)]));
    await until('the first frame', () => a.delivered.length === 1);
    const max = defaultPeerLimits.maxFrameBytes;
    const nearly = [{ ...status(1, 2), padding: 'p'.repeat(max - 200) }];
    peer.socket.write(peer.frame(nearly));
    await until('the frame just under the bound', () => a.delivered.length === 2, 10_000);
    expect(a.delivered[1].message).toEqual(nearly[0]);

    // then a frame that never ends: the acceptor closes the stream once it holds more than the bound
    peer.socket.write(`${'0'.repeat(64)} [`);
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (!peer.socket.destroyed && sent < max + 8 * chunk.length) {
        sent += chunk.length;
        if (!peer.socket.write(chunk)) return void peer.socket.once('drain', pump);
      }
    };
    pump();
    expect(await closedWithin(peer.socket, 10_000)).toBeDefined();
    expect(a.delivered).toHaveLength(2);
    expect(a.transport.streams().refused).toEqual({ total: 1, 'frame-too-long': 1 });
    const [accepted] = a.sockets;
    await until('the accepted socket closed', () => accepted.destroyed);
    expect(accepted.bytesRead).toBeLessThan(2 * max + 2 * 1024 * 1024);
    expect(a.lines.some((l) => l.msg === 'peer stream refused' && String(l.fields?.reason).includes(`over ${max} bytes`))).toBe(true);
  });

  it('a silent peer, or one too slow to answer, is dropped after a bounded time; a prompt one stays', async () => {
    const handshakeMs = 300;
    const a = await acceptor({ handshakeMs });
    const silent = await upgrade(a.url, 1);
    const slow = await upgrade(a.url, 2);
    // the right answer, a character every 20 ms: it would need 1.3 s
    const answer = challengeAnswer(keyOf(2, 0), 2, 0, slow.challenge!);
    const trickle = setInterval(() => {
      if (!slow.socket!.destroyed) slow.socket!.write(answer[0]);
    }, 20);
    closers.push(() => clearInterval(trickle));
    const prompt = await asPeer(a.url, 3);
    const [silentMs, slowMs] = await Promise.all([closedWithin(silent.socket!, 3_000), closedWithin(slow.socket!, 3_000)]);
    clearInterval(trickle);
    expect(silentMs).toBeDefined();
    expect(slowMs).toBeDefined();
    expect(silentMs!).toBeGreaterThan(handshakeMs / 2);
    expect(Math.max(silentMs!, slowMs!)).toBeLessThan(handshakeMs + 1_000);
    expect(a.transport.streams().refused).toEqual({ total: 2, silent: 2 });
    // the one that answered at once is still there well past the deadline, and is heard
    await sleep(handshakeMs);
    expect(prompt.socket.destroyed).toBe(false);
    prompt.socket.write(prompt.frame([status(3)]));
    await until('the prompt peer heard', () => a.delivered.length === 1);
    expect(a.delivered[0]).toEqual({ from: 3, message: status(3) });
  });

  it('connections beyond the cap on unauthenticated ones are refused; a slot is free again once one proves itself or leaves', async () => {
    const a = await acceptor({ maxUnauthenticated: 3, handshakeMs: 20_000 });
    const waiting = [await upgrade(a.url, 1), await upgrade(a.url, 2), await upgrade(a.url, 3)];
    expect(waiting.map((w) => w.status)).toEqual([101, 101, 101]);
    expect((await upgrade(a.url, 1)).status).toBe(503);
    expect(a.transport.streams()).toMatchObject({ authenticated: 0, unauthenticated: 3, refused: { busy: 1 } });
    // a POST from a peer is read only within the same cap
    const mac = peerMac(keyOf(1, 0), 1, 0, -1, '[]');
    const post = async () => {
      const r = await fetch(new URL('/peer/messages', a.url), { method: 'POST', headers: { 'x-replica-from': '1', 'x-replica-mac': mac }, body: '[]' });
      await r.arrayBuffer();
      return r.status;
    };
    expect(await post()).toBe(503);

    // one answers its challenge: it no longer counts, and there is room for one more
    const [first] = waiting;
    first.socket!.write(`${challengeAnswer(keyOf(1, 0), 1, 0, first.challenge!)}\n`);
    await until('the answer counted', () => a.transport.streams().authenticated === 1);
    expect((await upgrade(a.url, 2)).status).toBe(101);
    expect((await upgrade(a.url, 2)).status).toBe(503);
    // one leaves: room again, taken here by a POST
    waiting[1].socket!.destroy();
    await until('the departure counted', () => a.transport.streams().unauthenticated === 2);
    expect(await post()).toBe(204);
    expect(a.transport.streams()).toMatchObject({ authenticated: 1, unauthenticated: 2, refused: { busy: 3 } });
  });

  it('POST /peer/messages: refused before its body is read unless it names a peer and carries a MAC, bounded, and delivered only with the right MAC', async () => {
    const a = await acceptor();
    const post = async (headers: Record<string, string>, body: string | Buffer) => {
      const r = await fetch(new URL('/peer/messages', a.url), { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
      return { status: r.status, body: await r.json().catch(() => undefined) };
    };
    const body = JSON.stringify([status(1, 5)]);
    expect((await post({}, body)).status).toBe(401);
    expect((await post({ 'x-replica-from': '9', 'x-replica-mac': peerMac(keyOf(1, 0), 9, 0, -1, body) }, body)).status).toBe(401);
    expect((await post({ 'x-replica-from': '1', 'x-replica-mac': peerMac(keyOf(2, 0), 1, 0, -1, body) }, body)).status).toBe(401);
    const big = Buffer.alloc(2 * 1024 * 1024, 'a');
    expect((await post({ 'x-replica-from': '1', 'x-replica-mac': peerMac(keyOf(1, 0), 1, 0, -1, big) }, big)).status).toBe(413);
    expect(a.delivered).toEqual([]);
    expect((await post({ 'x-replica-from': '1', 'x-replica-mac': peerMac(keyOf(1, 0), 1, 0, -1, body) }, body)).status).toBe(204);
    expect(a.delivered).toEqual([{ from: 1, message: status(1, 5) }]);
    expect(a.transport.streams().unauthenticated).toBe(0);
  });
});
