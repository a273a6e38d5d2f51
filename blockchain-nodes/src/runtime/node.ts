// A running replica: one serial loop owns the core's state and feeds it inputs (peer
// messages, client transactions, ticks, fetched blocks) in arrival order. Each round steps
// every input that is waiting, writes everything the steps asked to persist in one database
// transaction, and only then sends their messages and answers clients — so nothing it signed
// leaves before it is durable, and a client never hears "committed" about a block that a crash
// could take back.
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import '../chain/native-crypto';
import { defaultVerifier, secp256k1Signer, type Signer, type Verifier } from '../chain/crypto';
import type { Chain, Genesis, ReplicaId } from '../chain/genesis';
import type { CommittedBlock } from '../chain/block';
import { transactionHash, type Transaction } from '../chain/transaction';
import { chainOf } from '../chain/verify';
import type { Message } from '../pbft/messages';
import { createReplica, type CatchUpRequest, type Input, type Outbound, type PersistRecord, type Rejection, type ReplicaCore, type ReplicaState, type Timing } from '../pbft/replica';
import type { Logger } from '../../../layers/core/log';
import { request } from './http';
import type { ReplicaStore } from './store';
import { PeerTransport } from './transport';

/**
 * A replica that misbehaves on purpose, wrapped around the honest loop: it sees the inputs, may
 * rewrite what is sent and what is served, and counts the faults it committed. Test clusters
 * build one (from the simulation's behaviours); the replica program never does.
 */
export interface Byzantine {
  readonly mode: string;
  readonly faults: Record<string, number>;
  outbound(state: ReplicaState, sends: Outbound[]): Outbound[];
  tick(state: ReplicaState): void;
  inbound(state: ReplicaState, from: ReplicaId, message: Message): void;
  serveBlocks(state: ReplicaState, blocks: CommittedBlock[]): CommittedBlock[];
  sawTransaction(tx: Transaction): void;
}

/** What a Byzantine replica is built around: this replica's id, chain, own key and peer links — nothing more than a compromised replica would hold. */
export interface ByzantineWiring {
  id: ReplicaId;
  chain: Chain;
  signer: Signer;
  verify: Verifier;
  send(to: ReplicaId | 'all', message: Message): void;
}

export interface ReplicaNodeOptions {
  genesis: Genesis | Chain;
  id: ReplicaId;
  secretKey: string;
  store: ReplicaStore;
  /** Base URL of every replica, by id (this one's included). */
  peerUrls: string[];
  timing?: Partial<Timing>;
  /** How often time is fed to the core. */
  tickMs?: number;
  log: Logger;
  /** Makes this replica Byzantine: test clusters only. */
  byzantine?: (wiring: ByzantineWiring) => Byzantine;
  verify?: Verifier;
  /** Called when the replica cannot go on safely (its database failed mid-write); the process should exit and restart. */
  onFatal?: (error: Error) => void;
}

type Work = { kind: 'input'; input: Input; done?: (rejection?: Rejection) => void; noRelay?: boolean } | { kind: 'barrier'; done: () => void };

export type TransactionStatus =
  | { status: 'committed'; height: number; blockHash: string; transactionHash: string; transaction: Transaction; index: number }
  | { status: 'pending' };

const CATCH_UP_PAGE = 200;
const RECENT_BLOCKS = 1024;
const MAX_INPUTS_PER_ROUND = 5_000;

export class ReplicaNode {
  readonly chain: Chain;
  readonly core: ReplicaCore;
  readonly transport: PeerTransport;
  readonly byzantine?: Byzantine;
  readonly id: ReplicaId;
  state!: ReplicaState;
  /** Height of the last block written to the database: what clients are told about. */
  durableHeight = 0;
  durableHeadHash: string;
  halted?: string;
  readonly stats = { rounds: 0, steps: 0, persisted: 0, rejected: 0, caughtUp: 0, notReady: 0, startedAt: Date.now() };
  /** Signature checks by what was signed (transaction, prepare, commit…): the replica's main cost. */
  readonly verifications: Record<string, number> = {};
  readonly lastRejections: (Rejection & { at: string })[] = [];

  private readonly inbox: Work[] = [];
  private wake?: () => void;
  private tickQueued = false;
  private soonTick?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;
  private stopping = false;
  private loopDone?: Promise<void>;
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly recent = new Map<number, CommittedBlock>();
  private catchingUp = false;
  private catchUpRound = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  private readonly log: Logger;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 5 });

  constructor(private readonly opts: ReplicaNodeOptions) {
    this.chain = chainOf(opts.genesis);
    this.id = opts.id;
    this.log = opts.log;
    const signer = secp256k1Signer(opts.secretKey);
    const inner = opts.verify ?? defaultVerifier;
    const verify: Verifier = (publicKey, message, signature) => {
      // signed bytes start "cinema-ledger/v1 <purpose>\n"
      let end = 17;
      while (end < 48 && message[end] !== 10) end++;
      const purpose = String.fromCharCode(...message.subarray(17, end));
      this.verifications[purpose] = (this.verifications[purpose] ?? 0) + 1;
      return inner(publicKey, message, signature);
    };
    this.core = createReplica({ genesis: this.chain, id: opts.id, signer, verify, timing: opts.timing });
    this.transport = new PeerTransport(this.chain, opts.id, opts.secretKey, opts.peerUrls, opts.log);
    this.durableHeadHash = this.chain.genesisHash;
    if (opts.byzantine) {
      this.byzantine = opts.byzantine({ id: opts.id, chain: this.chain, signer, verify, send: (to, message) => this.transport.send(to, message) });
      this.log.warn('BYZANTINE MODE: this replica misbehaves on purpose (tests only)', { mode: this.byzantine.mode });
    }
  }

  async start(): Promise<void> {
    const recovered = await this.opts.store.recover();
    this.state = this.core.restore(recovered, Date.now());
    this.durableHeight = this.state.executed;
    this.durableHeadHash = this.state.headHash;
    this.log.info('replica restored from its database', {
      height: this.state.executed,
      view: this.state.view,
      changing: this.state.changing,
      stable: this.state.stable.seq,
      signed: recovered.signed.length,
      prepared: recovered.prepared.length,
    });
    this.loopDelay.enable();
    this.loopDone = this.run();
    const tickMs = this.opts.tickMs ?? 10;
    this.ticker = setInterval(() => this.queueTick(), tickMs);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.ticker);
    clearTimeout(this.soonTick);
    this.wake?.();
    await this.loopDone;
    this.transport.close();
    this.agent.destroy();
    for (const set of this.waiters.values()) for (const w of set) w();
  }

  /** At most one tick waits in the inbox; the loop stamps it with the time it is stepped at. */
  private queueTick(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    this.push({ kind: 'input', input: { kind: 'tick', now: 0 } });
  }

  private push(work: Work): void {
    this.inbox.push(work);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** A message from a peer the transport authenticated. */
  deliver(from: ReplicaId, message: Message): void {
    this.push({ kind: 'input', input: { kind: 'message', from, message } });
  }

  /**
   * Why this replica should not take client transactions now, if it should not: right after a
   * start, until it has heard how far its peers are (2f of them, or a few status rounds), and
   * whenever f+1 peers report a later view, or heights beyond what it could execute soon, than
   * its own. A transaction it took then would start its view-change timer in a view the others
   * have left, or time out while it catches up — and it would ask for a view change alone.
   */
  notReady(): string | undefined {
    if (this.halted) return `halted: ${this.halted}`;
    const s = this.state;
    const peers = [...s.peers.values()];
    const ahead = peers.filter((p) => p.view > s.view).length;
    if (ahead >= this.chain.f + 1) return `catching up: ${ahead} peers are in a later view than ${s.view}`;
    // Peers' heights come from their last STATUS and a replica is often a block or two behind for a moment; a checkpoint interval is catching up.
    const margin = Math.max(this.core.timing.maxInFlight, this.chain.rules.checkpointInterval);
    const higher = peers.filter((p) => p.executed > s.executed + margin).length;
    if (higher >= this.chain.f + 1) return `catching up: ${higher} peers are past height ${s.executed + margin}`;
    if (peers.length < 2 * this.chain.f && Date.now() - this.stats.startedAt < 3 * this.core.timing.statusInterval) return 'starting: not yet in touch with its peers';
    return undefined;
  }

  /** A client's transaction; resolves with the core's refusal, or undefined once accepted (or known). */
  submit(transaction: Transaction, options: { relay?: boolean } = {}): Promise<Rejection | undefined> {
    return new Promise((resolve) => this.push({ kind: 'input', input: { kind: 'request', transaction }, done: resolve, noRelay: options.relay === false }));
  }

  /** Resolves once every input queued before it has been stepped and its effects are durable. */
  barrier(): Promise<void> {
    return new Promise((resolve) => this.push({ kind: 'barrier', done: resolve }));
  }

  private async run(): Promise<void> {
    // Rounds are written in order, and a round's messages and answers go out only once its records
    // are durable; while one round waits on the database, the next is stepped.
    let previous: Promise<boolean> = Promise.resolve(true);
    while (!this.stopping) {
      if (this.inbox.length === 0) {
        await new Promise<void>((r) => (this.wake = r));
        continue;
      }
      const batch = this.inbox.splice(0, MAX_INPUTS_PER_ROUND);
      const persist: PersistRecord[] = [];
      const sends: Outbound[] = [];
      const committed: CommittedBlock[] = [];
      const after: (() => void)[] = [];
      for (const work of batch) {
        if (work.kind === 'barrier') {
          after.push(work.done);
          continue;
        }
        let input = work.input;
        if (input.kind === 'tick') {
          this.tickQueued = false;
          input = { kind: 'tick', now: Date.now() };
          this.byzantine?.tick(this.state);
        } else if (input.kind === 'message') this.byzantine?.inbound(this.state, input.from, input.message);
        else if (input.kind === 'request') this.byzantine?.sawTransaction(input.transaction);
        if (this.halted) {
          if (work.done) after.push(() => work.done!({ from: 'client', kind: 'request', reason: `halted: ${this.halted}` }));
          continue;
        }
        let out;
        try {
          out = this.core.step(this.state, input);
        } catch (err) {
          this.halt(`the core threw on ${input.kind}: ${(err as Error).message}`);
          continue;
        }
        this.stats.steps++;
        if (out.persist.length) persist.push(...out.persist);
        if (out.committed.length) committed.push(...out.committed);
        // A client that sent the transaction to every replica asked us not to relay it to the primary.
        const send = work.noRelay ? out.send.filter((o) => o.message.kind !== 'request') : out.send;
        const outgoing = this.byzantine ? this.byzantine.outbound(this.state, send) : send;
        if (outgoing.length) sends.push(...outgoing);
        for (const r of out.rejected) this.noteRejection(r);
        if (work.done) {
          const mine = out.rejected.find((r) => r.from === 'client');
          after.push(() => work.done!(mine));
        }
        if (out.catchUp) this.startCatchUp(out.catchUp);
        if (out.halted) this.halt(out.halted);
      }
      // The primary proposes on a tick once the oldest pending transaction waited batchDelay: give it that tick on time.
      if (this.state.pending.size > 0 && this.state.view % this.chain.n === this.id && !this.soonTick) {
        this.soonTick = setTimeout(() => {
          this.soonTick = undefined;
          this.queueTick();
        }, this.core.timing.batchDelay + 1);
      }
      const ready = previous;
      previous = (async () => {
        if (!(await ready)) return false;
        const persistStarted = performance.now();
        if (persist.length) {
          try {
            await this.opts.store.persist(persist);
            this.stats.persisted += persist.length;
          } catch (err) {
            // What was stepped is not durable, so none of it may leave. The process restarts from the database.
            this.log.error('could not persist; stopping this replica', { err });
            this.stopping = true;
            clearInterval(this.ticker);
            this.wake?.();
            this.opts.onFatal?.(err as Error);
            return false;
          }
        }
        this.stats.rounds++;
        this.log.debug('round', {
          inputs: batch.map((w) => (w.kind === 'barrier' ? 'barrier' : w.input.kind === 'message' ? `${w.input.message?.kind}<${w.input.from}` : w.input.kind)).join(','),
          persisted: persist.map((p) => (p.kind === 'signed' ? p.message.kind : p.kind)).join(','),
          persistMs: +(performance.now() - persistStarted).toFixed(2),
          sent: sends.map((o) => `${o.message.kind}>${o.to}`).join(','),
        });
        for (const c of committed) this.onDurable(c);
        for (const s of sends) this.transport.send(s.to, s.message);
        for (const f of after) f();
        return true;
      })();
      if (!(await ready)) return;
    }
    await previous;
  }

  private halt(reason: string): void {
    if (this.halted) return;
    this.halted = reason;
    this.log.error('replica halted: it will not sign anything more', { reason });
  }

  private noteRejection(r: Rejection): void {
    this.stats.rejected++;
    this.lastRejections.push({ ...r, at: new Date().toISOString() });
    if (this.lastRejections.length > 20) this.lastRejections.shift();
    this.log.debug('input rejected', { from: r.from, kind: r.kind, reason: r.reason });
  }

  private onDurable(c: CommittedBlock): void {
    const h = c.block.header.height;
    this.durableHeight = h;
    this.durableHeadHash = c.certificate.blockHash;
    this.recent.set(h, c);
    if (this.recent.size > RECENT_BLOCKS) this.recent.delete(this.recent.keys().next().value!);
    for (const tx of c.block.transactions) {
      const waiting = this.waiters.get(tx.id);
      if (!waiting) continue;
      this.waiters.delete(tx.id);
      for (const w of waiting) w();
    }
  }

  async block(height: number): Promise<CommittedBlock | undefined> {
    if (height < 1 || height > this.durableHeight) return undefined;
    return this.recent.get(height) ?? (await this.opts.store.block(height));
  }

  /** Committed (durably, here) or pending here; undefined if this replica does not know it. */
  async status(id: string): Promise<TransactionStatus | undefined> {
    const height = this.state.committedIds.get(id);
    if (height !== undefined && height <= this.durableHeight) {
      const committed = await this.block(height);
      const index = committed?.block.transactions.findIndex((tx) => tx.id === id) ?? -1;
      if (committed && index >= 0) {
        const transaction = committed.block.transactions[index];
        return { status: 'committed', height, blockHash: committed.certificate.blockHash, transactionHash: transactionHash(transaction), transaction, index };
      }
    }
    if (height !== undefined || this.state.pending.has(id)) return { status: 'pending' };
    return undefined;
  }

  /** Resolves when the transaction is durably committed here, or after `ms`. */
  waitForCommit(id: string, ms: number): Promise<void> {
    const height = this.state.committedIds.get(id);
    if ((height !== undefined && height <= this.durableHeight) || ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.waiters.get(id);
      if (!set) this.waiters.set(id, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        if (set!.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private startCatchUp(req: CatchUpRequest): void {
    if (this.catchingUp || req.peers.length === 0 || this.stopping) return;
    this.catchingUp = true;
    this.catchUp(req)
      .catch((err) => this.log.warn('catch-up failed', { err }))
      .finally(() => (this.catchingUp = false));
  }

  /** Fetches committed blocks from peers, page by page, and feeds them to the core, which verifies each before appending it. */
  private async catchUp(req: CatchUpRequest): Promise<void> {
    const start = this.catchUpRound++;
    const peers = req.peers.map((_, i) => req.peers[(start + i) % req.peers.length]);
    const startHeight = this.state.executed;
    for (const peer of peers) {
      for (;;) {
        if (this.stopping) return;
        const from = this.state.executed + 1;
        let page: CommittedBlock[];
        try {
          const url = new URL(`blocks?from=${from}&limit=${CATCH_UP_PAGE}`, this.opts.peerUrls[peer].replace(/\/?$/, '/'));
          const r = await request(this.agent, 'GET', url, { timeoutMs: 15_000 });
          if (r.status !== 200 || !Array.isArray(r.body?.blocks)) throw new Error(`HTTP ${r.status}`);
          page = r.body.blocks;
        } catch (err) {
          this.log.info('catch-up: peer did not serve blocks', { peer, from, reason: (err as Error).message });
          break;
        }
        if (page.length === 0) break;
        const before = this.state.executed;
        for (const b of page) this.push({ kind: 'input', input: { kind: 'committed-block', from: peer, block: b?.block, certificate: b?.certificate } });
        await this.barrier();
        if (this.state.executed === before) {
          this.log.warn('catch-up: blocks from peer refused', { peer, from, reason: this.lastRejections[this.lastRejections.length - 1]?.reason });
          break;
        }
        if (page.length < CATCH_UP_PAGE) break;
      }
      if (this.state.executed > startHeight) break;
    }
    if (this.state.executed > startHeight) {
      this.stats.caughtUp += this.state.executed - startHeight;
      this.log.info('caught up', { from: startHeight, to: this.state.executed });
    }
  }

  /** Blocks as served to peers and clients; a Byzantine replica may alter them. */
  serveBlocks(blocks: CommittedBlock[]): CommittedBlock[] {
    return this.byzantine ? this.byzantine.serveBlocks(this.state, blocks) : blocks;
  }

  statusReport() {
    const s = this.state;
    const peerView = new Map([...s.peers].map(([id, p]) => [id, p]));
    return {
      replica: this.id,
      chain: this.chain.genesis.chainName,
      genesisHash: this.chain.genesisHash,
      view: s.view,
      changing: s.changing,
      primary: s.view % this.chain.n,
      height: this.durableHeight,
      headHash: this.durableHeadHash,
      stableCheckpoint: { height: s.stable.seq, hash: s.stable.digest },
      pending: s.pending.size,
      halted: this.halted,
      byzantine: this.byzantine ? { mode: this.byzantine.mode, faults: this.byzantine.faults } : undefined,
      peers: this.transport.peers().map((p) => ({ ...p, view: peerView.get(p.id)?.view, height: peerView.get(p.id)?.executed })),
      peerStreams: this.transport.streams(),
      stats: { ...this.stats, uptimeSeconds: Math.round((Date.now() - this.stats.startedAt) / 1000) },
      verifications: this.verifications,
      eventLoopDelayMs: { p50: +(this.loopDelay.percentile(50) / 1e6).toFixed(1), p99: +(this.loopDelay.percentile(99) / 1e6).toFixed(1), max: +(this.loopDelay.max / 1e6).toFixed(1) },
      lastRejections: this.lastRejections.slice(-5),
    };
  }
}
