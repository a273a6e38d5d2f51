// The replica program with a Byzantine behaviour wired in, for test clusters only: support.ts
// runs it instead of src/runtime/main.ts for a replica started with REPLICA_BYZANTINE. The
// simulation's faulty behaviours run in a real replica process over the real transport; the
// honest core still runs underneath and holds only this replica's key, as a compromised
// replica would. The production program imports none of this.
import { z } from 'zod';
import { loadConfig } from '../../../layers/core/config';
import type { Transaction } from '../../src/chain/transaction';
import type { Message } from '../../src/pbft/messages';
import type { ReplicaState } from '../../src/pbft/replica';
import { runReplicaProgram } from '../../src/runtime/main';
import type { Byzantine, ByzantineWiring } from '../../src/runtime/node';
import { settingsFromEnv, type ReplicaSettings } from '../../src/runtime/settings';
import { behaviourNames, makeBehaviour, type Behaviour, type BehaviourName, type ByzantineContext } from '../../src/sim/byzantine';
import { Random } from '../../src/sim/random';

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

/** The decorator a Byzantine replica's loop runs its inputs and outputs through. */
export function byzantine(mode: ByzantineMode, env: ByzantineWiring): Byzantine {
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

/** The replica's own settings, and REPLICA_BYZANTINE: which behaviour it runs. */
export function byzantineSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ReplicaSettings & { byzantine: ByzantineMode } {
  const { REPLICA_BYZANTINE } = loadConfig({ REPLICA_BYZANTINE: z.enum(byzantineModes) }, env);
  return { ...settingsFromEnv(env), byzantine: REPLICA_BYZANTINE };
}

if (process.argv[1] && /byzantine-replica\.[tj]s$/.test(process.argv[1])) {
  runReplicaProgram(
    () => byzantineSettingsFromEnv(),
    (settings) => ({ byzantine: (wiring) => byzantine(settings.byzantine, wiring) }),
  );
}
