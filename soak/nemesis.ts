// The nemesis: on the seeded schedule, one fault at a time, each kept for a window that is
// recorded (from the moment it strikes until everything it broke is back). Every round tries
// each kind once, in an order the seed shuffles, so a short run still sees every kind.
import { relaySigner } from '../layers/contracts/event-keys';
import type { PublishingDomain } from '../layers/contracts/events';
import { signingPublisher } from '../layers/events/signature';
import type { SoakPlatform } from './platform';
import type { Rng } from './prng';

export const FAULT_KINDS = ['replica-kill', 'primary-kill', 'replica-pause', 'broker-cut', 'database-cut', 'runner-restart', 'gateway-restart', 'duplicate-delivery'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultWindow {
  kind: FaultKind;
  start: number;
  end: number;
  detail: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The replica the others follow now: the view's primary, as a running replica reports it. */
async function primaryOf(p: SoakPlatform): Promise<number> {
  for (let id = 0; id < p.cluster.n; id++) {
    if (!p.cluster.running(id)) continue;
    const health = await p.cluster.api(id, 'GET', '/health').catch(() => undefined);
    if (typeof health?.body?.view === 'number') return health.body.view % p.cluster.n;
  }
  return 0;
}

/**
 * Publishes again events booking and payment already published (`count` of each at random,
 * or all of them, newest first: a broker promises no order), signed by their domain as its
 * relay would: the broker's at-least-once delivery, made to happen.
 */
export async function redeliver(p: SoakPlatform, count?: number): Promise<string> {
  let sent = 0;
  for (const domain of ['booking', 'payment'] as const) {
    const { rows } = await p.db.pool(domain).query(`SELECT envelope FROM outbox WHERE published_at IS NOT NULL ORDER BY ${count ? 'random()' : 'position DESC'} LIMIT $1`, [count ?? null]);
    const publisher = signingPublisher(relaySigner(domain as PublishingDomain, p.eventKeys), p.bus);
    for (const row of rows) await publisher.publish(row.envelope);
    sent += rows.length;
  }
  return `${sent} events published again`;
}

/** Starts replica `id` again, trying until it is up: on a shared PostgreSQL a start can meet "too many clients" for a moment. */
export async function restartReplica(p: SoakPlatform, id: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await p.cluster.start(id);
    } catch (err) {
      if (attempt >= 10) throw err;
      await sleep(1_000 * attempt);
    }
  }
}

export async function injectFault(p: SoakPlatform, kind: FaultKind, r: Rng, record: (w: FaultWindow) => void): Promise<void> {
  const start = Date.now();
  let detail = '';
  switch (kind) {
    case 'replica-kill':
    case 'primary-kill': {
      const primary = await primaryOf(p);
      const id = kind === 'primary-kill' ? primary : (primary + r.int(1, p.cluster.n - 1)) % p.cluster.n;
      await p.cluster.kill(id, 'SIGKILL');
      const downMs = r.int(1_000, 5_000);
      await sleep(downMs);
      await restartReplica(p, id);
      detail = `replica ${id}${id === primary ? ' (the primary)' : ''} SIGKILLed for ${downMs} ms, restarted`;
      break;
    }
    case 'replica-pause': {
      const id = r.int(0, p.cluster.n - 1);
      const pid = p.cluster.pid(id);
      const ms = r.int(1_000, 5_000);
      if (pid) {
        process.kill(pid, 'SIGSTOP');
        await sleep(ms);
        process.kill(pid, 'SIGCONT');
      }
      detail = `replica ${id} SIGSTOPped for ${ms} ms`;
      break;
    }
    case 'broker-cut': {
      const ms = r.int(1_000, 6_000);
      await p.brokerProxy.down();
      await sleep(ms);
      await p.brokerProxy.up();
      detail = `broker connections cut for ${ms} ms`;
      break;
    }
    case 'database-cut': {
      const ms = r.int(500, 3_000);
      await p.dbProxy.down();
      await sleep(ms);
      await p.dbProxy.up();
      detail = `database connections of the gateway and the runner cut for ${ms} ms`;
      break;
    }
    case 'runner-restart':
      await p.restartRunner();
      detail = 'event runner stopped and started';
      break;
    case 'gateway-restart':
      await p.restartGateway();
      detail = 'gateway SIGKILLed and started again';
      break;
    case 'duplicate-delivery':
      detail = await redeliver(p, r.int(2, 6));
      break;
  }
  record({ kind, start, end: Date.now(), detail });
}

/** Runs faults until `until`, a seeded pause between them; resolves once the last has healed. */
export async function runNemesis(p: SoakPlatform, r: Rng, until: number, record: (w: FaultWindow) => void, kinds: readonly FaultKind[] = FAULT_KINDS): Promise<void> {
  await sleep(r.int(2_000, 4_000));
  while (Date.now() < until) {
    const round = [...kinds];
    for (let i = round.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [round[i], round[j]] = [round[j], round[i]];
    }
    for (const kind of round) {
      if (Date.now() >= until) return;
      await injectFault(p, kind, r, record);
      await sleep(r.int(1_500, 4_000));
    }
  }
}
