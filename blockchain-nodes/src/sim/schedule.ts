import { maxFaulty } from '../pbft/quorum';
import type { Timing } from '../pbft/replica';
import type { ConsensusRules } from '../chain/genesis';
import { describeFaults, makeBehaviour, type Behaviour, type BehaviourName } from './byzantine';
import { cinemaTransaction } from './fixtures';
import { hostilePolicy, type HostileNetwork, type Partition } from './network';
import { Random } from './random';
import { idealScheme, secp256k1Scheme } from './signatures';
import { Simulation, type SimulationReport } from './simulation';

// A schedule is everything about one simulated run, drawn from its seed: which replicas are
// faulty and how, what the network does until it heals, and when the client submits what.
// The same (n, seed) always gives the same schedule and the same run, so a failure replays.

export type Family = 'hostile' | 'primary-crash' | 'next-primary-faulty' | 'byzantine-primary' | 'contested-view-change';
export const families: readonly Family[] = ['hostile', 'primary-crash', 'next-primary-faulty', 'byzantine-primary', 'contested-view-change'];

export interface Schedule {
  n: number;
  seed: number;
  family: Family;
  faults: Record<number, BehaviourName>;
  network: HostileNetwork;
  viewChangeTimeout: number;
  transactions: number;
  /** The last submission; liveness is judged after both it and the heal. */
  lastSubmitAt: number;
  deadline: number;
  crypto: 'ideal' | 'secp256k1';
}

export const simRules: Partial<ConsensusRules> = { checkpointInterval: 4, watermarkWindow: 16, maxClockSkew: 5_000 };
export const simTiming: Partial<Timing> = { maxBatch: 8, batchDelay: 5, maxInFlight: 4, viewChangeTimeout: 300, maxTimeoutDoublings: 3, statusInterval: 100 };
/** After the heal, the cluster has this long to finish everything. */
export const LIVENESS_WINDOW = 20_000;

export function drawSchedule(n: number, seed: number, crypto: Schedule['crypto'] = 'ideal'): Schedule {
  const rng = new Random(seed * 7919 + n);
  const f = maxFaulty(n);
  const family = families[seed % families.length];
  const healAt = rng.int(200, 2_500);
  const faults: Record<number, BehaviourName> = {};
  const partitions: Partition[] = [];
  const everyone = Array.from({ length: n }, (_, i) => i);
  const anyBehaviour = (): BehaviourName => rng.pick(['silent', 'crash', 'equivocator', 'forger', 'replayer', 'invalid-proposer', 'view-change-liar'] as const);
  const troublesome = (): BehaviourName => rng.pick(['silent', 'equivocator', 'invalid-proposer', 'forger', 'view-change-liar'] as const);

  switch (family) {
    case 'hostile': {
      for (const id of rng.shuffle(everyone).slice(0, rng.int(0, f))) faults[id] = anyBehaviour();
      break;
    }
    case 'primary-crash': {
      faults[0] = 'crash';
      for (const id of rng.shuffle(everyone.slice(1)).slice(0, rng.int(0, f - 1))) faults[id] = anyBehaviour();
      break;
    }
    case 'next-primary-faulty': {
      if (f >= 2) {
        faults[0] = rng.pick(['crash', 'silent'] as const);
        faults[1] = troublesome();
      } else {
        // One fault only: the primary is honest but cut off, so the view moves to a faulty primary.
        faults[1] = troublesome();
        const start = rng.int(0, Math.floor(healAt / 2));
        partitions.push({ start, end: healAt, groups: [[0], everyone.slice(1)] });
      }
      break;
    }
    case 'contested-view-change': {
      // Votes reach only some replicas, the cluster keeps splitting, and a liar shapes new views:
      // heights end up prepared with different blocks in different views.
      for (const id of rng.shuffle(everyone).slice(0, f)) faults[id] = rng.chance(0.7) ? 'view-change-liar' : anyBehaviour();
      break;
    }
    case 'byzantine-primary': {
      faults[0] = rng.pick(['equivocator', 'invalid-proposer', 'view-change-liar'] as const);
      for (const id of rng.shuffle(everyone.slice(1)).slice(0, rng.int(0, f - 1))) faults[id] = anyBehaviour();
      break;
    }
  }
  const split = (): number[][] => {
    const shuffled = rng.shuffle(everyone);
    const cut = rng.int(1, n - 1);
    return rng.chance(0.3) ? [shuffled.slice(1)] : [shuffled.slice(0, cut), shuffled.slice(cut)];
  };
  const contested = family === 'contested-view-change';
  const churn = contested || rng.chance(0.4);
  if (churn) {
    // The cluster keeps being cut differently, so view changes land on blocks still in flight.
    const period = rng.pick([30, 60, 120]);
    for (let start = rng.int(0, period); start < healAt; start += period + rng.int(0, period)) partitions.push({ start, end: Math.min(healAt, start + period), groups: split() });
  } else {
    for (let k = rng.int(0, 3); k > 0; k--) {
      const start = rng.int(0, healAt - 1);
      partitions.push({ start, end: rng.int(start + 1, healAt), groups: split() });
    }
  }
  const network: HostileNetwork = {
    healAt,
    dropRate: rng.pick([0, 0.05, 0.15, 0.3]),
    duplicateRate: rng.pick([0, 0.05, 0.2]),
    maxDelay: rng.pick([2, 10, 40, 80]),
    partitions,
    calmMaxDelay: 5,
    targeted: contested
      ? { kinds: ['prepare', 'commit', ...rng.shuffle(['pre-prepare', 'new-view', 'view-change']).slice(0, rng.int(0, 1))], rate: rng.pick([0.4, 0.6]) }
      : rng.chance(0.5) ? { kinds: rng.shuffle(['pre-prepare', 'prepare', 'commit', 'checkpoint', 'view-change', 'new-view']).slice(0, rng.int(1, 3)), rate: rng.pick([0.2, 0.4, 0.6]) } : undefined,
  };
  // Short timeouts make view changes land while blocks are still in flight.
  const viewChangeTimeout = contested ? rng.pick([60, 100]) : rng.pick([60, 150, 300]);
  const transactions = rng.int(1, 40);
  const lastSubmitAt = healAt + 300;
  return { n, seed, family, faults, network, viewChangeTimeout, transactions, lastSubmitAt, deadline: Math.max(healAt, lastSubmitAt) + LIVENESS_WINDOW, crypto };
}

export interface ScheduleResult extends SimulationReport {
  schedule: Schedule;
  summary: string;
}

export function runSchedule(schedule: Schedule, options: { trace?: boolean } = {}): ScheduleResult & { simulation: Simulation } {
  const rng = new Random(schedule.seed ^ 0x5bd1e995);
  const behaviours: Record<number, Behaviour> = {};
  for (const [id, name] of Object.entries(schedule.faults)) behaviours[Number(id)] = makeBehaviour(name, rng, schedule.network.healAt);
  const simulation = new Simulation({
    n: schedule.n,
    seed: schedule.seed,
    scheme: schedule.crypto === 'ideal' ? idealScheme() : secp256k1Scheme(),
    network: hostilePolicy(schedule.network),
    faults: behaviours,
    rules: simRules,
    timing: { ...simTiming, viewChangeTimeout: schedule.viewChangeTimeout },
    trace: options.trace,
  });
  for (let i = 0; i < schedule.transactions; i++) {
    const tx = cinemaTransaction(simulation.cluster.ledger, rng);
    const at = rng.int(0, schedule.lastSubmitAt);
    // Some go to every replica, some to a few, as a client that knows only part of the cluster would.
    const to = rng.chance(0.7) ? undefined : rng.shuffle(simulation.nodes.map((n) => n.id)).slice(0, rng.int(1, schedule.n));
    simulation.submit(tx, at, to);
  }
  simulation.settle(schedule.deadline, Math.max(schedule.network.healAt, schedule.lastSubmitAt));
  simulation.auditChains();
  simulation.auditCertificates();
  const report = simulation.report();
  const summary = `n=${schedule.n} seed=${schedule.seed} ${schedule.family} faults=${describeFaults(behaviours)} drop=${schedule.network.dropRate} dup=${schedule.network.duplicateRate} delay≤${schedule.network.maxDelay} partitions=${schedule.network.partitions.length} heal@${schedule.network.healAt}${schedule.network.targeted ? ` targeted=${schedule.network.targeted.kinds.join('+')}@${schedule.network.targeted.rate}` : ''} vct=${schedule.viewChangeTimeout} tx=${schedule.transactions} ${schedule.crypto}`;
  return { ...report, schedule, summary, simulation };
}
