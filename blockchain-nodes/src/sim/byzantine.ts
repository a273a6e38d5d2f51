import type { Signer, Verifier } from '../chain/crypto';
import { primaryOf, type Chain } from '../chain/genesis';
import { blockHash, makeBlock, type Block, type CommittedBlock } from '../chain/block';
import { signTransaction, type Transaction } from '../chain/transaction';
import { signNewView, signPrePrepare, signViewChange, signVote, type Message, type PrePrepare, type PreparedCertificate, type ViewChange } from '../pbft/messages';
import { planNewView, viewChangeProblem } from '../pbft/view-change';
import type { Outbound, ReplicaState } from '../pbft/replica';
import type { Random } from './random';

// Byzantine replicas for the simulation. Each runs the honest core underneath (so it knows the
// protocol's state and holds its own key) and corrupts what goes out, or adds to it. None can
// sign as anyone else: with ECDSA or the ideal scheme, only its own key is in its hands.

export interface ByzantineContext {
  id: number;
  now: number;
  rng: Random;
  chain: Chain;
  signer: Signer;
  verify: Verifier;
  state: ReplicaState;
  /** Valid transactions this replica has seen, as raw material for invalid ones. */
  transactionsSeen: readonly Transaction[];
  send(to: number | 'all', message: Message): void;
  /** Tally of misbehaviour, reported as faults injected. */
  count(fault: string): void;
}

export interface Behaviour {
  readonly name: string;
  /** From this time on the replica neither hears nor speaks. */
  crashAt?: number;
  outbound?(ctx: ByzantineContext, sends: Outbound[]): Outbound[];
  inbound?(ctx: ByzantineContext, from: number, message: Message): void;
  tick?(ctx: ByzantineContext): void;
  serveBlocks?(ctx: ByzantineContext, blocks: CommittedBlock[]): CommittedBlock[];
}

const others = (ctx: ByzantineContext) => Array.from({ length: ctx.chain.n }, (_, i) => i).filter((i) => i !== ctx.id);
const randomHex = (rng: Random, bytes: number) => Array.from({ length: bytes * 2 }, () => rng.int(0, 15).toString(16)).join('');

/** Crashes at `at` (0: silent from the start). */
export const crash = (at: number): Behaviour => ({ name: at === 0 ? 'silent' : 'crash', crashAt: at });

/** As primary, sends one block to some replicas and a different valid block to the rest; votes for both. */
export function equivocator(): Behaviour {
  return {
    name: 'equivocator',
    outbound(ctx, sends) {
      const out: Outbound[] = [];
      for (const s of sends) {
        const m = s.message;
        if (m.kind === 'pre-prepare' && m.from === ctx.id && s.to === 'all') {
          const { header, transactions } = m.block;
          const twin =
            transactions.length > 1
              ? makeBlock({ ...header }, transactions.slice(0, -1))
              : makeBlock({ ...header, timestamp: header.timestamp + 1 }, transactions);
          const twinPP = signPrePrepare(ctx.chain, ctx.signer, ctx.id, m.view, m.seq, blockHash(twin.header), twin);
          for (const to of ctx.rng.shuffle(others(ctx))) out.push({ to, message: ctx.rng.chance(0.5) ? m : twinPP });
          // Back both blocks with votes, to everyone.
          for (const digest of [m.digest, twinPP.digest]) out.push({ to: 'all', message: signVote(ctx.chain, ctx.signer, 'commit', { view: m.view, seq: m.seq, digest, from: ctx.id }) });
          ctx.count('equivocation');
          continue;
        }
        if ((m.kind === 'prepare' || m.kind === 'commit') && m.from === ctx.id && ctx.rng.chance(0.5)) {
          const conflicting = signVote(ctx.chain, ctx.signer, m.kind, { view: m.view, seq: m.seq, digest: randomHex(ctx.rng, 32), from: ctx.id });
          const half = ctx.rng.shuffle(others(ctx)).slice(0, Math.ceil(ctx.chain.n / 2));
          for (const to of others(ctx)) out.push({ to, message: half.includes(to) ? conflicting : m });
          ctx.count('double-vote');
          continue;
        }
        out.push(s);
      }
      return out;
    },
  };
}

function corruptSignature(rng: Random, signature: string): string {
  const i = rng.int(0, signature.length - 1);
  const flipped = ((parseInt(signature[i], 16) + rng.int(1, 15)) % 16).toString(16);
  return signature.slice(0, i) + flipped + signature.slice(i + 1);
}

/** Sends broken signatures, messages in other replicas' names, forged transactions, and tampered blocks when asked to help a replica catch up. */
export function forger(): Behaviour {
  return {
    name: 'forger',
    outbound(ctx, sends) {
      return sends.map((s) => {
        const m = s.message;
        if (m.kind === 'status' || m.kind === 'request' || !ctx.rng.chance(0.3)) return s;
        ctx.count('bad-signature');
        return { to: s.to, message: { ...m, signature: corruptSignature(ctx.rng, m.signature) } as Message };
      });
    },
    tick(ctx) {
      if (!ctx.rng.chance(0.15)) return;
      const victim = ctx.rng.pick(others(ctx));
      const { view, executed } = ctx.state;
      const seq = executed + ctx.rng.int(1, 3);
      const digest = randomHex(ctx.rng, 32);
      const seen = ctx.transactionsSeen;
      switch (ctx.rng.int(0, 5)) {
        case 0: // a vote in an honest replica's name, with a signature that is noise
          ctx.send('all', { kind: ctx.rng.chance(0.5) ? 'prepare' : 'commit', view, seq, digest, from: victim, signature: randomHex(ctx.rng, 64) });
          break;
        case 1: {
          // its own valid signature, claiming to be someone else
          const vote = signVote(ctx.chain, ctx.signer, 'commit', { view, seq, digest, from: ctx.id });
          ctx.send('all', { ...vote, from: victim });
          break;
        }
        case 2: {
          // a pre-prepare "from the primary" for a block of real transactions
          const txs = seen.slice(-3);
          if (txs.length === 0) return;
          const block = makeBlock({ height: seq, parentHash: ctx.state.headHash, view, proposer: primaryOf(ctx.chain, view), timestamp: ctx.now }, txs);
          const pp: PrePrepare = { kind: 'pre-prepare', view, seq, digest: blockHash(block.header), from: primaryOf(ctx.chain, view), signature: randomHex(ctx.rng, 64), block };
          ctx.send('all', pp);
          break;
        }
        case 3: {
          // a transaction whose payload was changed after it was signed
          const original = seen.length ? ctx.rng.pick(seen) : undefined;
          if (!original) return;
          const tampered: Transaction = { ...original, id: ctx.rng.uuid(), payload: { forged: true, amountCents: 1 } };
          ctx.send('all', { kind: 'request', transaction: tampered });
          break;
        }
        case 4: {
          // a well-signed transaction from a key genesis never registered
          const tx = signTransaction({ id: ctx.rng.uuid(), type: 'payment.success', payload: { amountCents: 100000 }, submitter: ctx.signer.publicKey }, ctx.signer);
          ctx.send('all', { kind: 'request', transaction: tx });
          break;
        }
        default: {
          // a checkpoint in another's name for a block that never was
          const K = ctx.chain.rules.checkpointInterval;
          const cpSeq = (Math.floor(executed / K) + 1) * K;
          const header = { ...ctx.state.head, height: cpSeq, txRoot: randomHex(ctx.rng, 32) };
          ctx.send('all', { kind: 'checkpoint', seq: cpSeq, digest: blockHash(header), header, from: victim, signature: randomHex(ctx.rng, 64) });
        }
      }
      ctx.count('forged-message');
    },
    serveBlocks(ctx, blocks) {
      if (blocks.length === 0) return blocks;
      ctx.count('forged-block');
      const [first, ...rest] = blocks;
      const tampered: CommittedBlock = ctx.rng.chance(0.5)
        ? { block: { ...first.block, transactions: first.block.transactions.slice(1) }, certificate: first.certificate }
        : { block: first.block, certificate: { ...first.certificate, commits: first.certificate.commits.slice(1) } };
      return [tampered, ...rest];
    },
  };
}

/** Keeps what it hears and plays it back later, to anyone: old views, old sequence numbers, old checkpoints. */
export function replayer(): Behaviour {
  const heard: Message[] = [];
  return {
    name: 'replayer',
    inbound(_ctx, _from, message) {
      if (message.kind === 'status') return;
      heard.push(message);
      if (heard.length > 400) heard.splice(0, heard.length - 400);
    },
    tick(ctx) {
      if (heard.length === 0 || !ctx.rng.chance(0.3)) return;
      for (let i = ctx.rng.int(1, 4); i > 0; i--) {
        ctx.send(ctx.rng.chance(0.3) ? 'all' : ctx.rng.pick(others(ctx)), ctx.rng.pick(heard));
        ctx.count('replay');
      }
    },
  };
}

/** As primary, slips an invalid transaction into each block it proposes, re-signing the proposal so only its content is wrong. */
export function invalidProposer(): Behaviour {
  return {
    name: 'invalid-proposer',
    outbound(ctx, sends) {
      return sends.map((s) => {
        const m = s.message;
        if (m.kind !== 'pre-prepare' || m.from !== ctx.id || s.to !== 'all') return s;
        const block = spoil(ctx, m.block);
        ctx.count('invalid-proposal');
        return { to: 'all', message: signPrePrepare(ctx.chain, ctx.signer, ctx.id, m.view, m.seq, blockHash(block.header), block) };
      });
    },
  };
}

function spoil(ctx: ByzantineContext, block: Block): Block {
  const { header, transactions } = block;
  const fields = { height: header.height, parentHash: header.parentHash, view: header.view, proposer: header.proposer, timestamp: header.timestamp };
  const first = transactions[0];
  const committedTx = [...ctx.transactionsSeen].reverse().find((tx) => ctx.state.committedIds.has(tx.id));
  const earlier = ctx.state.slots.get(header.height - 1)?.prePrepare?.block.transactions[0];
  if (committedTx && ctx.rng.chance(0.4)) return makeBlock(fields, [...transactions, committedTx]);
  if (earlier && ctx.rng.chance(0.4)) return makeBlock(fields, [earlier, ...transactions.filter((tx) => tx.id !== earlier.id)]);
  const choices: (() => Transaction[])[] = [
    () => [{ ...first, payload: { amountCents: 1, note: 'changed after signing' } }, ...transactions.slice(1)],
    () => [...transactions, signTransaction({ id: ctx.rng.uuid(), type: 'payment.refunded', payload: { amountCents: 99999 }, submitter: ctx.signer.publicKey }, ctx.signer)],
    () => [...transactions, first],
    () => [...transactions, { ...first, id: first.id.toUpperCase() }],
  ];
  return makeBlock(fields, ctx.rng.pick(choices)());
}

/**
 * Lies in view changes: reports the oldest prepared certificates it ever held (or none) instead
 * of its newest, and as new primary builds NEW-VIEW from whichever 2f+1 view changes look
 * stalest. Everything it sends is validly signed; only the choice is malicious.
 */
export function viewChangeLiar(): Behaviour {
  const everPrepared = new Map<number, PreparedCertificate[]>();
  const heard = new Map<number, Map<number, ViewChange>>();
  const remember = (vc: ViewChange) => {
    let byFrom = heard.get(vc.view);
    if (!byFrom) heard.set(vc.view, (byFrom = new Map()));
    if (!byFrom.has(vc.from)) byFrom.set(vc.from, vc);
  };
  const note = (cert: PreparedCertificate) => {
    const list = everPrepared.get(cert.seq) ?? [];
    if (!list.some((c) => c.view === cert.view && c.digest === cert.digest)) list.push(cert);
    everPrepared.set(cert.seq, list);
  };
  const highestView = (vc: ViewChange) => Math.max(-1, ...vc.prepared.map((c) => c.view));
  return {
    name: 'view-change-liar',
    inbound(_ctx, _from, message) {
      if (message.kind === 'view-change') remember(message);
      if (message.kind === 'new-view') message.viewChanges.forEach(remember);
    },
    tick(ctx) {
      for (const cert of ctx.state.prepared.values()) note(cert);
    },
    outbound(ctx, sends) {
      for (const cert of ctx.state.prepared.values()) note(cert);
      return sends.map((s) => {
        const m = s.message;
        if (m.kind === 'view-change' && m.from === ctx.id) {
          const stale = ctx.rng.chance(0.3)
            ? []
            : [...everPrepared.entries()]
                .filter(([seq]) => seq > m.stable.seq && seq <= m.stable.seq + ctx.chain.rules.watermarkWindow)
                .sort((a, b) => a[0] - b[0])
                .map(([, certs]) => certs.reduce((a, b) => (b.view < a.view ? b : a)));
          const lie = signViewChange(ctx.chain, ctx.signer, { view: m.view, from: ctx.id, stable: m.stable, prepared: stale });
          remember(lie);
          ctx.count('stale-view-change');
          return { to: s.to, message: lie };
        }
        if (m.kind === 'new-view' && m.from === ctx.id) {
          const valid = [...(heard.get(m.view)?.values() ?? []), ...m.viewChanges].filter(
            (vc, i, all) => all.findIndex((x) => x.from === vc.from) === i && !viewChangeProblem(ctx.chain, vc, ctx.verify),
          );
          if (valid.length < ctx.chain.quorum) return s;
          const chosen = valid.sort((a, b) => highestView(a) - highestView(b) || a.from - b.from).slice(0, ctx.chain.quorum);
          const plan = planNewView(ctx.chain, m.view, chosen);
          const prePrepares = plan.blocks.map((block, i) => signPrePrepare(ctx.chain, ctx.signer, ctx.id, m.view, plan.stable.seq + 1 + i, blockHash(block.header), block));
          ctx.count('slanted-new-view');
          return { to: s.to, message: signNewView(ctx.chain, ctx.signer, { view: m.view, from: ctx.id, viewChanges: chosen, prePrepares }) };
        }
        return s;
      });
    },
  };
}

export const behaviourNames = ['silent', 'crash', 'equivocator', 'forger', 'replayer', 'invalid-proposer', 'view-change-liar'] as const;
export type BehaviourName = (typeof behaviourNames)[number];

export function makeBehaviour(name: BehaviourName, rng: Random, horizon: number): Behaviour {
  switch (name) {
    case 'silent':
      return crash(0);
    case 'crash':
      return crash(rng.int(1, horizon));
    case 'equivocator':
      return equivocator();
    case 'forger':
      return forger();
    case 'replayer':
      return replayer();
    case 'invalid-proposer':
      return invalidProposer();
    case 'view-change-liar':
      return viewChangeLiar();
  }
}

/** A stable label for a schedule's summary line. */
export const describeFaults = (faults: Record<number, Behaviour>) =>
  Object.entries(faults).map(([id, b]) => `${id}:${b.name}`).join(',') || 'none';
