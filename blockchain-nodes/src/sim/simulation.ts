import type { ConsensusRules } from '../chain/genesis';
import type { CommittedBlock } from '../chain/block';
import { transactionHash, transactionProblem, type Transaction } from '../chain/transaction';
import { verifyChain } from '../chain/verify';
import { createReplica, type Input, type Outbound, type ReplicaCore, type ReplicaState, type StepOutput, type Timing } from '../pbft/replica';
import type { Message, NewView } from '../pbft/messages';
import type { Behaviour, ByzantineContext } from './byzantine';
import { testCluster, type TestCluster } from './fixtures';
import { EventQueue, type Endpoint, type NetworkPolicy, type NetworkStats, type Payload } from './network';
import { Random } from './random';
import type { SignatureScheme } from './signatures';

export interface SimulationOptions {
  n: number;
  seed: number;
  scheme: SignatureScheme;
  network: NetworkPolicy;
  /** Faulty replicas and how they misbehave; at most f of them for the guarantees to hold. */
  faults?: Record<number, Behaviour>;
  rules?: Partial<ConsensusRules>;
  timing?: Partial<Timing>;
  /** How often every replica's clock ticks, in simulated ms. */
  tickInterval?: number;
  /** How long the client waits for f+1 matching replies before sending a transaction again. */
  clientRetry?: number;
  /** Keep a readable line per delivered protocol message. */
  trace?: boolean;
}

interface SimNode {
  id: number;
  core: ReplicaCore;
  state: ReplicaState;
  behaviour?: Behaviour;
  /** What the runtime stored: the committed chain, in height order. */
  blocks: CommittedBlock[];
  committedTx: Set<string>;
  seen: Transaction[];
  catchUpAttempt: number;
}

interface ClientRecord {
  transaction: Transaction;
  hash: string;
  lastSent: number;
  replies: Map<number, string>;
  final?: string;
}

type SimEvent = { kind: 'deliver'; from: Endpoint; to: Endpoint; payload: Payload } | { kind: 'tick' } | { kind: 'submit'; transaction: Transaction; to: number[] };

export interface SimulationReport {
  violations: string[];
  now: number;
  network: NetworkStats;
  faults: Record<string, number>;
  steps: number;
  rejections: number;
  viewChanges: number;
  contestedNewViews: number;
  heights: number[];
  transactions: number;
  final: number;
}

const describePayload = (p: Payload): string => {
  if (p.layer !== 'pbft') return p.layer.toUpperCase();
  const m = p.message;
  switch (m.kind) {
    case 'pre-prepare':
      return `PRE-PREPARE v${m.view} #${m.seq} ${m.digest.slice(0, 6)} (${m.block.transactions.length} tx)`;
    case 'prepare':
    case 'commit':
      return `${m.kind.toUpperCase()} v${m.view} #${m.seq} ${m.digest.slice(0, 6)}`;
    case 'checkpoint':
      return `CHECKPOINT #${m.seq} ${m.digest.slice(0, 6)}`;
    case 'view-change':
      return `VIEW-CHANGE v${m.view} stable #${m.stable.seq} prepared [${m.prepared.map((c) => `#${c.seq}@v${c.view}`).join(' ')}]`;
    case 'new-view':
      return `NEW-VIEW v${m.view} re-proposes [${m.prePrepares.map((pp) => `#${pp.seq} ${pp.digest.slice(0, 6)} (${pp.block.transactions.length} tx)`).join(', ')}]`;
    case 'request':
      return `REQUEST ${m.transaction.id.slice(0, 8)}`;
    case 'status':
      return `STATUS v${m.view}${m.changing ? '*' : ''} executed ${m.executed}`;
  }
};

/**
 * A whole cluster in one process, driven by a seed: replicas (honest cores, some wrapped in
 * Byzantine behaviours), the runtime's duties around them (persisting blocks, fetching blocks
 * for a lagging replica, answering the client), a client that retries until f+1 replicas agree,
 * and a network that loses, repeats, delays and partitions. It checks safety and validity on
 * every commit and liveness at the end.
 */
export class Simulation {
  readonly cluster: TestCluster;
  readonly nodes: SimNode[];
  readonly rng: Random;
  readonly trace: string[] = [];
  readonly violations: string[] = [];
  readonly faultCounts: Record<string, number> = {};
  readonly netStats: NetworkStats = { sent: 0, dropped: 0, cut: 0, duplicated: 0 };
  now = 0;
  steps = 0;
  rejections = 0;
  viewChanges = 0;
  /** New views accepted by honest replicas whose view changes disagreed about some height: the hard case. */
  contestedNewViews = 0;
  private readonly checkedNewViews = new Set<string>();
  /** Every COMMIT any replica sent, by (view, height, block): 2f+1 of them are a certificate someone could show an auditor. */
  private readonly commitVotes = new Map<string, Set<number>>();
  private readonly certified = new Map<number, Set<string>>();
  private readonly queue = new EventQueue<SimEvent>();
  private readonly decided = new Map<number, string>();
  private readonly client = new Map<string, ClientRecord>();
  private scheduled = 0;
  private readonly tickInterval: number;
  private readonly clientRetry: number;
  private readonly network: NetworkPolicy;
  private readonly traceOn: boolean;

  constructor(readonly options: SimulationOptions) {
    this.rng = new Random(options.seed);
    this.cluster = testCluster(options.n, options.scheme, options.rules);
    this.network = options.network;
    this.tickInterval = options.tickInterval ?? 10;
    this.clientRetry = options.clientRetry ?? 400;
    this.traceOn = options.trace ?? false;
    this.nodes = this.cluster.replicaSigners.map((signer, id) => {
      const core = createReplica({ genesis: this.cluster.chain, id, signer, verify: options.scheme.verify, timing: options.timing });
      return { id, core, state: core.initialState(this.cluster.genesis.createdAt), behaviour: options.faults?.[id], blocks: [], committedTx: new Set(), seen: [], catchUpAttempt: 0 };
    });
    for (const behaviour of Object.values(options.faults ?? {})) this.faultCounts[`replica:${behaviour.name}`] = (this.faultCounts[`replica:${behaviour.name}`] ?? 0) + 1;
    this.queue.push(0, { kind: 'tick' });
  }

  get f(): number {
    return this.cluster.chain.f;
  }

  isFaulty(id: number): boolean {
    return this.options.faults?.[id] !== undefined;
  }

  get honest(): SimNode[] {
    return this.nodes.filter((n) => !this.isFaulty(n.id));
  }

  /** The client sends `transaction` at `at` to `to` (default: every replica), and keeps resending until final. */
  submit(transaction: Transaction, at = this.now, to?: number[]): void {
    this.scheduled++;
    this.queue.push(at, { kind: 'submit', transaction, to: to ?? this.nodes.map((n) => n.id) });
  }

  /** Transactions submitted and not yet final at the client or not yet committed on every honest replica. */
  outstanding(): string[] {
    const out: string[] = this.scheduled ? ['(not yet submitted)'] : [];
    for (const [id, record] of this.client) if (!record.final || this.honest.some((n) => !n.committedTx.has(id))) out.push(id);
    return out;
  }

  runUntil(time: number, stopWhen?: () => boolean): void {
    while (this.queue.size && this.queue.peekTime() <= time) {
      const { at, item } = this.queue.pop()!;
      this.now = at;
      this.handle(item);
      if (item.kind === 'tick' && stopWhen?.()) return;
    }
    this.now = Math.max(this.now, time);
  }

  /** Runs until every transaction is final and committed everywhere honest, or `deadline`; liveness fails if the deadline wins. */
  settle(deadline: number, notBefore = 0): boolean {
    this.runUntil(deadline, () => this.now >= notBefore && this.outstanding().length === 0);
    const missing = this.outstanding();
    if (missing.length) {
      const laggards = this.honest.filter((n) => missing.some((id) => !n.committedTx.has(id))).map((n) => `${n.id}(v${n.state.view}${n.state.changing ? '*' : ''} h${n.state.executed})`);
      this.violations.push(`liveness: ${missing.length} transaction(s) not final and committed everywhere by t=${deadline}; behind: ${laggards.join(' ') || 'client only'}`);
      return false;
    }
    return true;
  }

  /** Checks every honest replica's stored chain from genesis, as an auditor would. */
  auditChains(): void {
    for (const node of this.honest) {
      const verdict = verifyChain(this.cluster.chain, node.blocks, this.options.scheme.verify);
      if (!verdict.ok) this.violations.push(`audit: replica ${node.id}'s chain fails at height ${verdict.height}: ${verdict.reason}`);
    }
  }

  report(): SimulationReport {
    return {
      violations: [...this.violations],
      now: this.now,
      network: { ...this.netStats },
      faults: { ...this.faultCounts },
      steps: this.steps,
      rejections: this.rejections,
      viewChanges: this.viewChanges,
      contestedNewViews: this.contestedNewViews,
      heights: this.nodes.map((n) => n.state.executed),
      transactions: this.client.size,
      final: [...this.client.values()].filter((r) => r.final).length,
    };
  }

  // ───────────────────────────── events ─────────────────────────────

  private handle(event: SimEvent): void {
    switch (event.kind) {
      case 'tick':
        for (const node of this.nodes) {
          if (this.crashed(node)) continue;
          this.step(node, { kind: 'tick', now: this.cluster.genesis.createdAt + this.now });
          if (node.behaviour?.tick) node.behaviour.tick(this.byzantineContext(node));
        }
        this.resendUnfinished();
        this.queue.push(this.now + this.tickInterval, { kind: 'tick' });
        return;
      case 'submit': {
        this.scheduled--;
        const { transaction } = event;
        if (!this.client.has(transaction.id)) this.client.set(transaction.id, { transaction, hash: transactionHash(transaction), replies: new Map(), lastSent: this.now });
        for (const to of event.to) this.send('client', to, { layer: 'submit', transaction });
        return;
      }
      case 'deliver':
        if (event.to === 'client') return this.clientReceives(event.from as number, event.payload);
        return this.nodeReceives(this.nodes[event.to], event.from, event.payload);
    }
  }

  private resendUnfinished(): void {
    for (const record of this.client.values()) {
      if (record.final || this.now - record.lastSent < this.clientRetry) continue;
      record.lastSent = this.now;
      for (const node of this.nodes) this.send('client', node.id, { layer: 'submit', transaction: record.transaction });
    }
  }

  private crashed(node: SimNode): boolean {
    const at = node.behaviour?.crashAt;
    return at !== undefined && this.now >= at;
  }

  private send(from: Endpoint, to: Endpoint, payload: Payload): void {
    for (const delay of this.network.deliveries({ from, to, payload }, this.now, this.rng, this.netStats)) this.queue.push(this.now + delay, { kind: 'deliver', from, to, payload });
  }

  private nodeReceives(node: SimNode, from: Endpoint, payload: Payload): void {
    if (this.crashed(node)) return;
    if (this.traceOn && payload.layer === 'pbft' && payload.message.kind !== 'status') this.trace.push(`${String(this.now).padStart(5)}  ${from} → ${node.id}  ${describePayload(payload)}`);
    switch (payload.layer) {
      case 'pbft':
        if (typeof from !== 'number') return;
        node.behaviour?.inbound?.(this.byzantineContext(node), from, payload.message);
        if (payload.message.kind === 'request') this.remember(node, payload.message.transaction);
        this.step(node, { kind: 'message', from, message: payload.message });
        return;
      case 'submit': {
        this.remember(node, payload.transaction);
        this.step(node, { kind: 'request', transaction: payload.transaction });
        // A resubmitted transaction that already committed is answered from storage.
        const height = node.state.committedIds.get(payload.transaction.id);
        if (height !== undefined && !this.crashed(node)) this.reply(node, payload.transaction.id, height, node.blocks[height - 1]?.certificate.blockHash ?? '');
        return;
      }
      case 'fetch': {
        if (typeof from !== 'number') return;
        let blocks = node.blocks.slice(payload.fromHeight - 1, payload.fromHeight - 1 + 16);
        if (node.behaviour?.serveBlocks) blocks = node.behaviour.serveBlocks(this.byzantineContext(node), blocks);
        if (blocks.length) this.send(node.id, from, { layer: 'blocks', blocks });
        return;
      }
      case 'blocks':
        if (typeof from !== 'number') return;
        for (const { block, certificate } of payload.blocks) {
          if (block?.header?.height !== node.state.executed + 1) continue;
          this.step(node, { kind: 'committed-block', from, block, certificate });
        }
        return;
      case 'reply':
        return;
    }
  }

  private remember(node: SimNode, tx: Transaction): void {
    if (!node.behaviour || !this.client.has(tx?.id)) return;
    node.seen.push(tx);
    if (node.seen.length > 200) node.seen.shift();
  }

  private step(node: SimNode, input: Input): void {
    const viewBefore = node.state.view;
    let out: StepOutput;
    try {
      out = node.core.step(node.state, input);
    } catch (error) {
      this.violations.push(`crash: replica ${node.id} threw on ${input.kind}: ${(error as Error).stack}`);
      return;
    }
    this.steps++;
    node.state = out.state;
    if (node.state.view > viewBefore) this.viewChanges++;
    if (node.state.newView && node.state.view !== viewBefore && !this.isFaulty(node.id)) this.checkNewView(node.state.newView);
    this.rejections += out.rejected.length;
    for (const record of out.persist) {
      if (record.kind !== 'block') continue;
      const height = record.committed.block.header.height;
      if (height !== node.blocks.length + 1) this.violations.push(`storage: replica ${node.id} persisted height ${height} after ${node.blocks.length}`);
      node.blocks.push(record.committed);
    }
    for (const committed of out.committed) this.checkCommitted(node, committed);
    if (out.halted && !this.isFaulty(node.id)) this.violations.push(`halt: honest replica ${node.id} stopped: ${out.halted}`);
    if (out.catchUp && out.catchUp.peers.length) {
      const peers = out.catchUp.peers;
      for (let k = 0; k < Math.min(2, peers.length); k++) this.send(node.id, peers[(node.catchUpAttempt + k) % peers.length], { layer: 'fetch', fromHeight: out.catchUp.fromHeight });
      node.catchUpAttempt++;
    }
    const sends = node.behaviour?.outbound ? node.behaviour.outbound(this.byzantineContext(node), out.send) : out.send;
    this.dispatch(node.id, sends);
  }

  private dispatch(from: number, sends: Outbound[]): void {
    for (const { to, message } of sends) {
      if (message.kind === 'commit') this.tallyCommit(message);
      if (to === 'all') {
        for (const other of this.nodes) if (other.id !== from) this.send(from, other.id, { layer: 'pbft', message });
      } else if (to !== from) this.send(from, to, { layer: 'pbft', message });
    }
  }

  private byzantineContext(node: SimNode): ByzantineContext {
    return {
      id: node.id,
      now: this.now,
      rng: this.rng,
      chain: this.cluster.chain,
      signer: this.cluster.replicaSigners[node.id],
      verify: this.options.scheme.verify,
      state: node.state,
      transactionsSeen: node.seen,
      send: (to: number | 'all', message: Message) => this.dispatch(node.id, [{ to, message }]),
      count: (fault: string) => {
        this.faultCounts[fault] = (this.faultCounts[fault] ?? 0) + 1;
      },
    };
  }

  // ───────────────────────────── checks ─────────────────────────────

  private checkCommitted(node: SimNode, committed: CommittedBlock): void {
    const { header, transactions } = committed.block;
    if (!this.isFaulty(node.id)) {
      const known = this.decided.get(header.height);
      if (known === undefined) this.decided.set(header.height, committed.certificate.blockHash);
      else if (known !== committed.certificate.blockHash)
        this.violations.push(`safety: honest replicas committed different blocks at height ${header.height} (${known.slice(0, 8)} and ${committed.certificate.blockHash.slice(0, 8)}, the latter at replica ${node.id})`);
    }
    for (const tx of transactions) {
      if (!this.isFaulty(node.id)) {
        const submitted = this.client.get(tx.id);
        if (!submitted || submitted.hash !== transactionHash(tx)) this.violations.push(`validity: replica ${node.id} committed transaction ${tx.id}, which the client never submitted in that form`);
        const problem = transactionProblem(this.cluster.chain, tx, this.options.scheme.verify);
        if (problem) this.violations.push(`validity: replica ${node.id} committed transaction ${tx.id}: ${problem}`);
        if (node.committedTx.has(tx.id)) this.violations.push(`validity: replica ${node.id} committed transaction ${tx.id} twice`);
      }
      node.committedTx.add(tx.id);
      this.reply(node, tx.id, header.height, committed.certificate.blockHash);
    }
  }

  private tallyCommit(vote: { view: number; seq: number; digest: string; from: number }): void {
    if (vote.from < 0 || vote.from >= this.nodes.length) return;
    const key = `${vote.view}:${vote.seq}:${vote.digest}`;
    let voters = this.commitVotes.get(key);
    if (!voters) this.commitVotes.set(key, (voters = new Set()));
    voters.add(vote.from);
    if (voters.size !== this.cluster.chain.quorum) return;
    const digests = this.certified.get(vote.seq) ?? new Set<string>();
    if (digests.has(vote.digest)) return;
    digests.add(vote.digest);
    this.certified.set(vote.seq, digests);
    if (digests.size > 1) this.violations.push(`safety: commit certificates exist for two different blocks at height ${vote.seq}`);
  }

  /**
   * A commit certificate is what an offline proof rests on, so none may exist for a block that
   * is not in the chain — not even one that never executed anywhere. Checked once the run ends,
   * for every height the honest replicas have decided.
   */
  auditCertificates(): void {
    for (const [seq, digests] of this.certified) {
      const decided = this.decided.get(seq);
      if (decided === undefined) continue;
      for (const digest of digests)
        if (digest !== decided) this.violations.push(`safety: 2f+1 replicas signed COMMIT for ${digest.slice(0, 8)} at height ${seq}, but ${decided.slice(0, 8)} is the block there`);
    }
  }

  /**
   * PBFT's central lemma, checked directly: a NEW-VIEW an honest replica accepts re-proposes,
   * at every height already decided, the decided block — or starts above it.
   */
  private checkNewView(nv: NewView): void {
    if (this.checkedNewViews.has(nv.signature)) return;
    this.checkedNewViews.add(nv.signature);
    const digests = new Map<number, Set<string>>();
    for (const vc of nv.viewChanges) for (const c of vc.prepared) digests.set(c.seq, (digests.get(c.seq) ?? new Set()).add(c.digest));
    if ([...digests.values()].some((d) => d.size > 1)) this.contestedNewViews++;
    for (const pp of nv.prePrepares) {
      const decided = this.decided.get(pp.seq);
      if (decided !== undefined && decided !== pp.digest)
        this.violations.push(`safety: NEW-VIEW v${nv.view} re-proposes ${pp.digest.slice(0, 8)} at height ${pp.seq}, where ${decided.slice(0, 8)} was committed`);
    }
  }

  private reply(node: SimNode, txId: string, height: number, blockHash: string): void {
    if (!this.client.has(txId)) return;
    // A faulty replica may claim anything; the client only believes f+1 that agree.
    const claim = this.isFaulty(node.id) && this.rng.chance(0.5) ? { height: height + 1, blockHash: blockHash.split('').reverse().join('') } : { height, blockHash };
    this.send(node.id, 'client', { layer: 'reply', txId, ...claim });
  }

  private clientReceives(from: number, payload: Payload): void {
    if (payload.layer !== 'reply') return;
    const record = this.client.get(payload.txId);
    if (!record || record.final) return;
    const claim = `${payload.height}:${payload.blockHash}`;
    record.replies.set(from, claim);
    let agreeing = 0;
    for (const c of record.replies.values()) if (c === claim) agreeing++;
    if (agreeing < this.f + 1) return;
    record.final = claim;
    const decided = this.decided.get(payload.height);
    if (decided !== payload.blockHash) this.violations.push(`finality: the client accepted ${payload.txId} at height ${payload.height} on f+1 replies, but honest replicas decided ${decided?.slice(0, 8) ?? 'nothing'} there`);
  }
}
