// Byzantine modes for test clusters (REPLICA_BYZANTINE): the simulation's faulty behaviours,
// run by a real replica process over the real transport. The honest core still runs
// underneath and holds only this replica's key, as a compromised replica would.
import type { CommittedBlock } from '../chain/block';
import type { Signer, Verifier } from '../chain/crypto';
import type { Chain } from '../chain/genesis';
import type { Transaction } from '../chain/transaction';
import type { Message } from '../pbft/messages';
import type { Outbound, ReplicaState } from '../pbft/replica';
import { behaviourNames, makeBehaviour, type Behaviour, type BehaviourName, type ByzantineContext } from '../sim/byzantine';
import { Random } from '../sim/random';

export const byzantineModes = [...behaviourNames.filter((n) => n !== 'crash'), 'garbage'] as const;
export type ByzantineMode = (typeof byzantineModes)[number];

/** Every signature it sends is noise, and so is every block it serves to a replica catching up. */
function garbage(): Behaviour {
  const noise = (rng: Random, length: number) => Array.from({ length }, () => rng.int(0, 15).toString(16)).join('');
  return {
    name: 'garbage',
    outbound(ctx, sends) {
      return sends.map((s) => {
        const m = s.message;
        if (m.kind === 'status' || m.kind === 'request') return s;
        ctx.count('bad-signature');
        return { to: s.to, message: { ...m, signature: noise(ctx.rng, 128) } as Message };
      });
    },
    serveBlocks(ctx, blocks) {
      return blocks.map((b) => ({ ...b, certificate: { ...b.certificate, commits: b.certificate.commits.map((c) => ({ ...c, signature: noise(ctx.rng, 128) })) } }));
    },
  };
}

export interface Byzantine {
  readonly mode: ByzantineMode;
  outbound(state: ReplicaState, sends: Outbound[]): Outbound[];
  tick(state: ReplicaState): void;
  inbound(state: ReplicaState, from: number, message: Message): void;
  serveBlocks(state: ReplicaState, blocks: CommittedBlock[]): CommittedBlock[];
  sawTransaction(tx: Transaction): void;
  readonly faults: Record<string, number>;
}

export function byzantine(
  mode: ByzantineMode,
  env: { id: number; chain: Chain; signer: Signer; verify: Verifier; send(to: number | 'all', message: Message): void },
): Byzantine {
  const rng = new Random(env.id * 7919 + 17);
  const behaviour = mode === 'garbage' ? garbage() : makeBehaviour(mode as BehaviourName, rng, 0);
  const seen: Transaction[] = [];
  const faults: Record<string, number> = {};
  const ctx = (state: ReplicaState): ByzantineContext => ({
    id: env.id,
    now: state.now,
    rng,
    chain: env.chain,
    signer: env.signer,
    verify: env.verify,
    state,
    transactionsSeen: seen,
    send: env.send,
    count: (fault) => void (faults[fault] = (faults[fault] ?? 0) + 1),
  });
  const silent = mode === 'silent';
  return {
    mode,
    faults,
    outbound: (state, sends) => (silent ? [] : behaviour.outbound ? behaviour.outbound(ctx(state), sends) : sends),
    tick: (state) => behaviour.tick?.(ctx(state)),
    inbound: (state, from, message) => behaviour.inbound?.(ctx(state), from, message),
    serveBlocks: (state, blocks) => (silent ? [] : behaviour.serveBlocks ? behaviour.serveBlocks(ctx(state), blocks) : blocks),
    sawTransaction: (tx) => {
      seen.push(tx);
      if (seen.length > 64) seen.shift();
    },
  };
}
