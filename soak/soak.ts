// A soak: the platform of its own, customers and an operator for N minutes while the nemesis
// strikes, then quiet (faults healed, outboxes drained, queues settled, chain converged), then
// every invariant checked against what each domain's database and the chain hold.
import { execFile } from 'node:child_process';
import amqp from 'amqplib';
import { CONSUMER_QUEUES } from '../layers/contracts/consumers';
import { PUBLISHING_DOMAINS } from '../layers/contracts/events';
import { deadLetterQueueName, queueName } from '../layers/events/topology';
import { databaseBlockSource, verifySource } from '../blockchain-nodes/protocol';
import { verifyBookingProof } from '../functions/ledger/proof';
import { registerUser } from '../functions/auth/users';
import { TEST_RABBITMQ_URL } from '../test/support/stack';
import { eventually } from '../test/support/wait';
import { LAYOUT } from '../test/support/flow';
import { checkSoak, LEDGER_FACTS, type Anomaly, type SoakRows } from './check';
import { client, newTraffic, runCustomer, runOperator, scheduleShowtime, signUpCustomer, type Call, type Traffic, type World } from './customers';
import { FAULT_KINDS, redeliver, restartReplica, runNemesis, type FaultKind, type FaultWindow } from './nemesis';
import { startSoakPlatform, type SoakPlatform } from './platform';
import { rng } from './prng';

export interface SoakOptions {
  minutes: number;
  seed: number;
  customers?: number;
  showtimes?: number;
  holdSeconds?: number;
  faults?: readonly FaultKind[];
  /** extra environment for the functions, e.g. a test's sabotage switch */
  env?: Record<string, string>;
  /** once the customers are done, every event booking and payment published is delivered again */
  redeliverAtEnd?: boolean;
  log?: (line: string) => void;
}

export interface SoakReport {
  seed: number;
  operations: Record<string, number>;
  faults: FaultWindow[];
  anomalies: Anomaly[];
  traffic: Omit<Traffic, 'operations'>;
  totals: { operations: number; faults: number; anomalies: number; bookings: number; payments: number; chainHeight: number };
}

/** After a fault heals, requests already in flight (and the gateway's first cold invocations) may still fail for this long. */
const GRACE_MS = 10_000;

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const r = rng(opts.seed);
  const p = await startSoakPlatform({ holdSeconds: opts.holdSeconds ?? 8, env: opts.env, log });
  try {
    const traffic = newTraffic();
    const call = client(p.url, traffic);
    const admin = await operator(p, call);
    log('scheduling showtimes and signing customers up');
    const hall = await call('POST', '/halls', { token: admin, body: { name: `Soak hall ${opts.seed}`, layout: LAYOUT } });
    const movie = await call('POST', '/movies', { token: admin, body: { title: `Soak ${opts.seed}`, durationMinutes: 90, releaseDate: '2026-01-01' } });
    const world: World = { showtimes: [], customers: [] };
    for (let i = 0; i < (opts.showtimes ?? 4); i++) {
      const st = await scheduleShowtime(call, admin, hall.body.hall.id, movie.body.movie.id);
      if (st) world.showtimes.push(st);
    }
    await eventually(async () => ((await p.db.pool('booking').query('SELECT count(*)::int AS n FROM showtimes')).rows[0].n >= world.showtimes.length ? true : undefined), 60_000, 'booking to hear of the showtimes');
    world.customers = await Promise.all(Array.from({ length: opts.customers ?? 10 }, () => signUpCustomer(call)));

    const until = Date.now() + opts.minutes * 60_000;
    const faults: FaultWindow[] = [];
    log(`soak: ${world.customers.length} customers for ${opts.minutes} min, seed ${opts.seed}`);
    await Promise.all([
      ...world.customers.map((c, i) => runCustomer(call, c, world, r.fork(i), until, traffic)),
      runOperator(call, admin, hall.body.hall.id, movie.body.movie.id, world, r.fork(1000), until, traffic, [15_000, 40_000]),
      runNemesis(p, r.fork(2000), until, (w) => {
        faults.push(w);
        log(`fault: ${w.kind}: ${w.detail} (${w.end - w.start} ms)`);
      }, opts.faults ?? FAULT_KINDS),
    ]);

    log('quiescing: faults healed, waiting for outboxes, queues and the chain');
    await quiesce(p);
    if (opts.redeliverAtEnd) {
      log(`redelivering: ${await redeliver(p)}`);
      await quiesce(p);
    }
    const rows = await readRows(p, call, world, traffic, faults);
    const anomalies = checkSoak(rows);
    const operations = Object.values(traffic.operations).reduce((s, n) => s + n, 0);
    return {
      seed: opts.seed,
      operations: traffic.operations,
      faults,
      anomalies,
      traffic: { serverErrors: traffic.serverErrors, networkErrors: traffic.networkErrors, retries: traffic.retries },
      totals: { operations, faults: faults.length, anomalies: anomalies.length, bookings: rows.bookings.length, payments: rows.payments.length, chainHeight: rows.replicas[0]?.height ?? 0 },
    };
  } finally {
    await p.stop();
  }
}

async function operator(p: SoakPlatform, call: Call): Promise<string> {
  const email = `soak-operator-${Date.now()}@example.test`;
  await registerUser(p.db.pool('auth'), { email, password: 'operator-password', name: 'Operator', role: 'admin' }, 1024);
  const login = await call('POST', '/auth/login', { body: { email, password: 'operator-password' } });
  return login.body.token;
}

/** Messages in this soak's queues (ready or being handled), DLQs apart. */
function queuedMessages(prefix: string): Promise<number> {
  return new Promise((resolve, reject) =>
    execFile('rabbitmqctl', ['-q', 'list_queues', 'name', 'messages'], { encoding: 'utf8' }, (err, out) => {
      if (err) return reject(err);
      let n = 0;
      for (const line of out.split('\n')) {
        const [name, count] = line.split('\t');
        if (name?.startsWith(prefix) && !name.endsWith('.dlq')) n += Number(count);
      }
      resolve(n);
    }),
  );
}

async function quiesce(p: SoakPlatform): Promise<void> {
  await p.dbProxy.up();
  await p.brokerProxy.up();
  for (let id = 0; id < p.cluster.n; id++) if (!p.cluster.running(id)) await restartReplica(p, id);
  let quietFor = 0;
  await eventually(
    async () => {
      let busy = await queuedMessages(p.topology.prefix);
      for (const domain of PUBLISHING_DOMAINS) busy += (await p.db.pool(domain).query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n;
      busy += (await p.db.pool('ledger').query(`SELECT count(*)::int AS n FROM ledger_entries WHERE status = 'pending'`)).rows[0].n;
      // the provider's webhooks still on their way (a real provider keeps trying, and so does the test one)
      busy += (await p.db.pool('payment').query(`SELECT count(*)::int AS n FROM test_provider.webhook_events WHERE delivered_at IS NULL AND refused_at IS NULL`)).rows[0].n;
      quietFor = busy ? 0 : quietFor + 1;
      return quietFor >= 3 ? true : undefined;
    },
    180_000,
    'outboxes drained, queues settled, webhooks delivered and ledger entries final',
    1_000,
  );
  const height = Math.max(...(await Promise.all([0, 1, 2, 3].map(async (id) => (await p.cluster.chain(id)).length))));
  await p.cluster.converged([0, 1, 2, 3], height, 60_000);
}

async function readDeadLetters(p: SoakPlatform): Promise<SoakRows['dead']> {
  const conn = await amqp.connect(TEST_RABBITMQ_URL);
  const channel = await conn.createChannel();
  const dead: SoakRows['dead'] = [];
  for (const queue of CONSUMER_QUEUES) {
    const dlq = deadLetterQueueName(queueName(p.topology, queue));
    for (;;) {
      const msg = await channel.get(dlq, { noAck: true });
      if (!msg) break;
      let event: any = {};
      try {
        event = JSON.parse(msg.content.toString());
      } catch {
        /* not an envelope: named by its position */
      }
      dead.push({ queue: dlq, eventId: event.id ?? `unreadable #${dead.length}`, type: event.type ?? '?' });
    }
  }
  await conn.close();
  return dead;
}

async function readRows(p: SoakPlatform, call: Call, world: World, traffic: Traffic, faults: FaultWindow[]): Promise<SoakRows> {
  const q = async (domain: Parameters<SoakPlatform['db']['pool']>[0], sql: string) => (await p.db.pool(domain).query(sql)).rows;
  const claims = await q('booking', `SELECT showtime_id AS "showtimeId", seat_id AS "seatId", status, booking_id AS "bookingId" FROM seat_claims`);
  const catalogSeats = await q('catalog', `SELECT showtime_id AS "showtimeId", seat_id AS "seatId", status FROM showtime_seats`);
  const bookings = await q('booking', `SELECT id, user_id AS "userId", showtime_id AS "showtimeId", payment_id AS "paymentId", seats, amount, status FROM bookings`);
  const payments = await q('payment', `SELECT id, user_id AS "userId", amount, status, provider_session_id AS "sessionId" FROM payments`);
  const refunds = await q('payment', `SELECT payment_id AS "paymentId", amount FROM refunds`);
  const sessions = await q('payment', `SELECT id, status FROM test_provider.sessions`);
  const facts: SoakRows['facts'] = [];
  const unsent: SoakRows['unsent'] = [];
  for (const domain of PUBLISHING_DOMAINS) {
    for (const row of await q(domain, `SELECT event_id, event_type, published_at FROM outbox`)) {
      if (LEDGER_FACTS.includes(row.event_type)) facts.push({ eventId: row.event_id, type: row.event_type });
      if (!row.published_at) unsent.push({ domain, eventId: row.event_id, type: row.event_type });
    }
  }
  const replicas: SoakRows['replicas'] = [];
  for (let id = 0; id < p.cluster.n; id++) {
    const source = databaseBlockSource(p.cluster.databaseUrls[id]);
    const report = await verifySource(p.cluster.files.genesis, source);
    await source.close();
    replicas.push(report.verdict.ok ? { id, ok: true, height: report.verdict.height, headHash: report.verdict.headHash } : { id, ok: false, reason: report.verdict.reason, height: report.verdict.height });
  }
  const chainTransactions: Record<string, number> = {};
  for (const row of (await p.cluster.pool(0).query(`SELECT transactions FROM blocks`)).rows) {
    for (const tx of row.transactions) chainTransactions[tx.id] = (chainTransactions[tx.id] ?? 0) + 1;
  }
  const dead = await readDeadLetters(p);
  // the customers' own view, and the proof of each of their confirmed bookings
  const customerViews: SoakRows['customerViews'] = [];
  const proofs: SoakRows['proofs'] = [];
  for (const c of world.customers) {
    const items: any[] = [];
    for (let page = 1; ; page++) {
      const res = await call('GET', `/bookings?page=${page}&pageSize=100`, { token: c.token });
      items.push(...(res.body?.items ?? []));
      if (!res.body || items.length >= res.body.total || !(res.body.items ?? []).length) break;
    }
    customerViews.push({ userId: c.userId, bookings: items.map((b) => ({ id: b.id, status: b.status, seats: b.seats })) });
    for (const b of items.filter((b) => b.status === 'confirmed')) {
      const res = await call('GET', `/bookings/${b.id}/proof`, { token: c.token });
      const verdict = res.status === 200 ? verifyBookingProof(p.cluster.files.genesis, res.body) : { ok: false as const, reason: `GET /bookings/{id}/proof answered ${res.status}` };
      proofs.push(verdict.ok ? { bookingId: b.id, ok: true } : { bookingId: b.id, ok: false, reason: verdict.reason });
    }
  }
  return {
    claims,
    catalogSeats,
    bookings,
    payments,
    refunds,
    sessions,
    facts,
    unsent,
    replicas,
    chainTransactions,
    dead,
    poisoned: [],
    serverErrors: traffic.serverErrors,
    faults,
    graceMs: GRACE_MS,
    customerViews,
    proofs,
  };
}

/** The report a soak prints; its last line is the summary. */
export function formatReport(report: SoakReport): string {
  const lines: string[] = [];
  lines.push('operations by kind:');
  for (const [kind, n] of Object.entries(report.operations).sort()) lines.push(`  ${kind}: ${n}`);
  lines.push(`  (client retries: ${report.traffic.retries}, network errors: ${report.traffic.networkErrors}, 5xx: ${report.traffic.serverErrors.length})`);
  lines.push('faults injected by kind:');
  const byKind = new Map<string, number>();
  for (const f of report.faults) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  for (const [kind, n] of [...byKind].sort()) lines.push(`  ${kind}: ${n}`);
  lines.push(`bookings ${report.totals.bookings}, payments ${report.totals.payments}, chain height ${report.totals.chainHeight}`);
  lines.push('anomalies by invariant:');
  const byInvariant = new Map<string, Anomaly[]>();
  for (const a of report.anomalies) byInvariant.set(a.invariant, [...(byInvariant.get(a.invariant) ?? []), a]);
  if (!byInvariant.size) lines.push('  none');
  for (const [invariant, list] of byInvariant) {
    lines.push(`  ${invariant}: ${list.length}`);
    for (const a of list.slice(0, 20)) lines.push(`    ${a.ids.join(' ')}: ${a.detail}`);
  }
  lines.push(`replay: npm run soak -- --minutes <N> --seed ${report.seed}`);
  lines.push(`soak: ${report.totals.operations} operations, ${report.totals.faults} faults injected, ${report.totals.anomalies} anomalies (seed ${report.seed})`);
  return lines.join('\n');
}
