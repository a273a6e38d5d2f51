// The replica cluster as it runs: four replica processes on this machine, each with its own
// PostgreSQL database, HTTP between them, clients submitting signed transactions through the
// chain client (layers/chain/client.ts) and waiting until each is final (f+1 replicas report the
// same block). Baseline in the same run: this machine's signature verification rate, and the
// bound it sets — cores × verifications/s ÷ 4, since every replica checks every transaction's
// signature once. Peak: a closed loop of BENCH_CLUSTER_CONCURRENCY transactions in flight;
// then an open loop at half the peak rate, for the latency a cluster with headroom gives.
import os from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateKeyPair, secp256k1Signer, verifyFast, utf8, signTransaction, type Transaction, databaseBlockSource, verifySource } from '../blockchain-nodes/protocol';
import { startLocalCluster, type LocalCluster } from '../infra/local/chain';
import { createChainClient } from '../layers/chain/client';
import { DEFAULT_DATABASE_URL } from '../layers/core/db';
import { freePort } from '../test/support/ports';
import { median, opsPerSecond, percentile, printTable, type Row } from './lib/stats';

const SECONDS = Number(process.env.BENCH_CLUSTER_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CLUSTER_CONCURRENCY ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SERVER_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const cores = os.cpus().length;

// ── baseline: signature checks on one core, as the replicas do them ──
const probe = secp256k1Signer(generateKeyPair().secretKey);
const messages = Array.from({ length: 64 }, (_, i) => utf8(`cinema-ledger/v1 transaction\n{"i":${i}}`));
const signatures = messages.map((m) => probe.sign(m));
// The machine is shared: the rate is measured before the cluster starts and again between its rounds, and the median taken.
const verifyRates: number[] = [];
const measureVerifyRate = () => {
  for (let k = 0; k < 3; k++) verifyRates.push(opsPerSecond((i) => verifyFast(probe.publicKey, messages[i % 64], signatures[i % 64]), 300));
};
measureVerifyRate();
let verifyRate = median(verifyRates);
let bound = (cores * verifyRate) / 4;

// ── CPU of the replicas and of their PostgreSQL backends, from /proc (Linux) ──
const clockTicks = 100;
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return NaN;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cinema-bench-cluster-'));
const prefix = `bench_${randomBytes(4).toString('hex')}`;
const ports = await Promise.all([0, 1, 2, 3].map(() => freePort()));
let cluster: LocalCluster | undefined;
const admin = new pg.Client({ connectionString: SERVER_URL });
try {
  cluster = await startLocalCluster({
    dir,
    init: { addresses: ports.map((p) => `http://127.0.0.1:${p}`), chainName: 'cinema-bench' },
    serverUrl: SERVER_URL,
    databasePrefix: prefix,
    env: { LOG_LEVEL: 'warn' },
  });
  await admin.connect();
  const client = createChainClient({ nodes: cluster.urls, genesis: cluster.files.genesis, timeoutMs: 60_000 });
  const ledger = secp256k1Signer(cluster.ledgerKey);
  // Signed before the clock starts: the load is signed transactions, signing them is the ledger's cost, not the cluster's.
  const sign = (count: number): Transaction[] =>
    Array.from({ length: count }, (_, i) => {
      const bookingId = randomUUID();
      return signTransaction(
        { id: randomUUID(), type: 'booking.confirmed', payload: { bookingId, showtimeId: `st-${i % 40}`, seats: [`F${(i % 20) + 1}`], amountCents: 1250, currency: 'EUR' }, submitter: ledger.publicKey },
        ledger,
      );
    });
  const backendPids = async () => (await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname LIKE $1`, [`${prefix}_replica_%`])).rows.map((r) => Number(r.pid));
  const cpuNow = async () => {
    const replicas = [0, 1, 2, 3].map((id) => cpuSecondsOf(cluster!.pid(id)!)).reduce((a, b) => a + b, 0);
    const database = (await backendPids()).map(cpuSecondsOf).filter(Number.isFinite).reduce((a, b) => a + b, 0);
    const own = process.cpuUsage();
    return { replicas, database, client: (own.user + own.system) / 1e6 };
  };

  /** Closed loop: `concurrency` submitters, each sending its next transaction once the last is final. */
  async function closedLoop(txs: Transaction[], concurrency: number, seconds: number) {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline && next < txs.length) {
          const tx = txs[next++];
          const t = performance.now();
          await client.submitAndAwaitFinal(tx);
          latencies.push(performance.now() - t);
        }
      }),
    );
    return { rate: latencies.length / ((performance.now() - started) / 1000), latencies, count: latencies.length };
  }

  /** Open loop: `rate` transactions a second, sent on schedule whatever the answers. */
  async function openLoop(txs: Transaction[], rate: number, seconds: number) {
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    const started = performance.now();
    const total = Math.min(txs.length, Math.round(rate * seconds));
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const t = performance.now();
      pending.push(client.submitAndAwaitFinal(txs[i]).then(() => void latencies.push(performance.now() - t)));
    }
    await Promise.all(pending);
    return { rate: total / seconds, latencies };
  }

  await closedLoop(sign(400), 64, 3); // warm-up: connections, JIT, the databases' first pages

  const peaks: { rate: number; p50: number; p99: number; cpu: { replicas: number; database: number; client: number } }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const txs = sign(Math.ceil(bound * SECONDS * 1.2) + CONCURRENCY);
    await new Promise((r) => setTimeout(r, 500)); // let the cluster settle before measuring the machine
    measureVerifyRate();
    const before = await cpuNow();
    const run = await closedLoop(txs, CONCURRENCY, SECONDS);
    const after = await cpuNow();
    peaks.push({
      rate: run.rate,
      p50: percentile(run.latencies, 50),
      p99: percentile(run.latencies, 99),
      cpu: { replicas: (after.replicas - before.replicas) / run.count, database: (after.database - before.database) / run.count, client: (after.client - before.client) / run.count },
    });
    console.error(`[cluster bench] round ${round + 1}: ${run.rate.toFixed(0)} tx/s, p50 ${peaks[round].p50.toFixed(1)} ms, p99 ${peaks[round].p99.toFixed(1)} ms`);
  }
  verifyRate = median(verifyRates);
  bound = (cores * verifyRate) / 4;
  const peak = median(peaks.map((p) => p.rate));
  // Not measured: an open loop keeps each transaction's long poll open at every replica while it
  // waits, so the client first grows its pool from the closed loop's few connections to a few
  // hundred; the connection set-up would otherwise be counted in the first round's latency.
  await openLoop(sign(Math.ceil((peak / 2) * 3) + 10), peak / 2, 3);
  const halves: { rate: number; p50: number; p99: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const run = await openLoop(sign(Math.ceil((peak / 2) * SECONDS) + 10), peak / 2, SECONDS);
    halves.push({ rate: run.rate, p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99) });
    console.error(`[cluster bench] half load, round ${round + 1}: ${run.rate.toFixed(0)} tx/s, p50 ${halves[round].p50.toFixed(1)} ms, p99 ${halves[round].p99.toFixed(1)} ms`);
  }
  const half = { rate: median(halves.map((h) => h.rate)), p50: median(halves.map((h) => h.p50)), p99: median(halves.map((h) => h.p99)) };

  // every replica holds the same chain, and it verifies against genesis
  const chains = await Promise.all(
    cluster.databaseUrls.map(async (url) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const { rows } = await c.query(`SELECT coalesce(max(height), 0) AS h, (SELECT hash FROM blocks ORDER BY height DESC LIMIT 1) AS head FROM blocks`);
      await c.end();
      return rows[0];
    }),
  );
  const source = databaseBlockSource(cluster.databaseUrls[0]);
  const verdict = await verifySource(cluster.files.genesis, source).finally(() => source.close());
  if (!verdict.verdict.ok) throw new Error(`the benchmark's chain does not verify: ${JSON.stringify(verdict.verdict)}`);
  const views = await Promise.all(cluster.urls.map(async (u) => ((await (await fetch(`${u}/status`)).json()) as { view: number }).view));
  console.error(`[cluster bench] heights ${chains.map((c) => c.h).join(', ')}, views ${views.join(', ')}; ${verdict.transactions} transactions verified against genesis`);

  const cpu = (k: 'replicas' | 'database' | 'client') => median(peaks.map((p) => p.cpu[k])) * 1000;
  const verifyMs = (4 * 1000) / verifyRate;
  const rows: Row[] = [
    { figure: `secp256k1 verifications/s, node:crypto, one core (median of ${verifyRates.length} samples between rounds)`, value: verifyRate, unit: 'verify/s' },
    { figure: `verification bound: ${cores} cores × verify/s ÷ 4`, value: bound, unit: 'tx/s' },
    { figure: `4 replica processes: committed transactions/s, closed loop, ${CONCURRENCY} in flight`, value: peak, unit: 'tx/s', baseline: { name: 'verification bound', value: bound } },
    { figure: 'commit latency p50 at peak', value: median(peaks.map((p) => p.p50)), unit: 'ms' },
    { figure: 'commit latency p99 at peak', value: median(peaks.map((p) => p.p99)), unit: 'ms' },
    { figure: `commit latency p50 at half of peak (open loop, ${half.rate.toFixed(0)} tx/s)`, value: half.p50, unit: 'ms', baseline: { name: 'goal', value: 100 } },
    { figure: 'commit latency p99 at half of peak', value: half.p99, unit: 'ms' },
    { figure: 'CPU per committed transaction: the four replicas', value: cpu('replicas'), unit: 'ms', baseline: { name: 'their 4 signature checks alone', value: verifyMs } },
    { figure: 'CPU per committed transaction: their PostgreSQL backends', value: cpu('database'), unit: 'ms' },
    { figure: 'CPU per committed transaction: the client (this process)', value: cpu('client'), unit: 'ms' },
    // What the measured throughput would be with these cores to itself: the run shares the machine.
    { figure: `capacity at that cost: ${cores} cores ÷ CPU per transaction (all of the above)`, value: (cores * 1000) / (cpu('replicas') + cpu('database') + cpu('client')), unit: 'tx/s', baseline: { name: 'verification bound', value: bound } },
  ];
  printTable(`PBFT cluster, n = 4, real processes (${SECONDS} s per round, median of ${ROUNDS})`, rows);
  client.close();
} finally {
  await admin.end().catch(() => undefined);
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
}
