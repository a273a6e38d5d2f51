// The replica cluster as it runs: four replica processes on this machine, each with its own
// PostgreSQL database, HTTP between them, clients submitting signed transactions through the
// chain client (layers/chain/client.ts) and waiting until each is final (f+1 replicas report the
// same block). Baseline in the same run: this machine's signature verification rate, and the
// bound it sets — cores × verifications/s ÷ 4, since every replica checks every transaction's
// signature once. Peak: a closed loop of BENCH_CLUSTER_CONCURRENCY transactions in flight;
// then an open loop at half the peak rate, for the latency a cluster with headroom gives.
import os from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateKeyPair, secp256k1Signer, verifyFast, utf8, signTransaction, type Transaction, databaseBlockSource, verifySource, type VerifyReport } from '../blockchain-nodes/protocol';
import { startLocalCluster, type LocalCluster } from '../infra/local/chain';
import { createChainClient } from '../layers/chain/client';
import { DEFAULT_DATABASE_URL } from '../layers/core/db';
import { freePort } from '../test/support/ports';
import { median, opsPerSecond, percentile, printTable, type Row } from './lib/stats';
import { runBench, settles } from './lib/checks';
import { cpuSecondsOf } from './lib/cpu';

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
// The same checks counted against this process's CPU time rather than the clock: what one check
// costs whoever else is using the cores (the replicas' CPU per transaction is compared with it).
const verifyCpuRates: number[] = [];
const measureVerifyRate = () => {
  for (let k = 0; k < 3; k++) {
    const cpu = process.cpuUsage();
    let count = 0;
    verifyRates.push(opsPerSecond((i) => (count++, verifyFast(probe.publicKey, messages[i % 64], signatures[i % 64])), 300));
    const used = process.cpuUsage(cpu);
    verifyCpuRates.push(count / ((used.user + used.system) / 1e6));
  }
};
measureVerifyRate();
let verifyRate = median(verifyRates);
let bound = (cores * verifyRate) / 4;

const dir = mkdtempSync(join(tmpdir(), 'cinema-bench-cluster-'));
const prefix = `bench_${randomBytes(4).toString('hex')}`;
const ports = await Promise.all([0, 1, 2, 3].map(() => freePort()));
let cluster: LocalCluster | undefined;
const admin = new pg.Client({ connectionString: SERVER_URL });
const replicaDbs: pg.Client[] = [];
await runBench(async (checks) => {
  try {
    cluster = await startLocalCluster({
      dir,
      init: { addresses: ports.map((p) => `http://127.0.0.1:${p}`), chainName: 'cinema-bench' },
      serverUrl: SERVER_URL,
      databasePrefix: prefix,
      env: { LOG_LEVEL: 'warn' },
    });
    await admin.connect();
    for (const url of cluster.databaseUrls) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      replicaDbs.push(c);
    }
    /** Each replica's height and head, from its database. */
    const heads = () =>
      Promise.all(replicaDbs.map(async (c) => (await c.query(`SELECT coalesce(max(height), 0)::int AS height, (SELECT hash FROM blocks ORDER BY height DESC LIMIT 1) AS head FROM blocks`)).rows[0] as { height: number; head: string | null }));
    /** The highest block any replica holds: a round's blocks are those between its snapshots. */
    const topHeight = async () => Math.max(...(await heads()).map((h) => h.height));
    let committed = 0; // transactions the client saw final, every phase included
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
            committed++;
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
        pending.push(
          client.submitAndAwaitFinal(txs[i]).then(() => {
            committed++;
            latencies.push(performance.now() - t);
          }),
        );
      }
      await Promise.all(pending);
      return { rate: total / seconds, latencies };
    }

    await closedLoop(sign(400), 64, 3); // warm-up: connections, JIT, the databases' first pages

    const peaks: { rate: number; p50: number; p99: number; cpu: { replicas: number; database: number; client: number }; blocks: [number, number] }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const txs = sign(Math.ceil(bound * SECONDS * 1.2) + CONCURRENCY);
      await new Promise((r) => setTimeout(r, 500)); // let the cluster settle before measuring the machine
      measureVerifyRate();
      const h0 = await topHeight();
      const before = await cpuNow();
      const run = await closedLoop(txs, CONCURRENCY, SECONDS);
      const after = await cpuNow();
      const h1 = await topHeight();
      peaks.push({
        rate: run.rate,
        p50: percentile(run.latencies, 50),
        p99: percentile(run.latencies, 99),
        cpu: { replicas: (after.replicas - before.replicas) / run.count, database: (after.database - before.database) / run.count, client: (after.client - before.client) / run.count },
        blocks: [h0, h1],
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
    const halves: { rate: number; p50: number; p99: number; blocks: [number, number] }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const h0 = await topHeight();
      const run = await openLoop(sign(Math.ceil((peak / 2) * SECONDS) + 10), peak / 2, SECONDS);
      halves.push({ rate: run.rate, p50: percentile(run.latencies, 50), p99: percentile(run.latencies, 99), blocks: [h0, await topHeight()] });
      console.error(`[cluster bench] half load, round ${round + 1}: ${run.rate.toFixed(0)} tx/s, p50 ${halves[round].p50.toFixed(1)} ms, p99 ${halves[round].p99.toFixed(1)} ms`);
    }
    const half = { rate: median(halves.map((h) => h.rate)), p50: median(halves.map((h) => h.p50)), p99: median(halves.map((h) => h.p99)) };

    // Every replica holds the same chain, each one verifies against genesis on its own, and it
    // holds every transaction the client saw final. A replica may trail by a block: it is waited for.
    const converged = await settles(async () => {
      const h = await heads();
      return h.every((x) => x.height === h[0].height && x.head === h[0].head);
    }, 30_000);
    const finalHeads = await heads();
    checks.expect(converged, `replica heads ${finalHeads.map((h) => `${h.height}:${h.head?.slice(0, 12)}`).join(', ')} ${converged ? 'identical' : 'differ after 30 s'}`);
    const verdicts: VerifyReport[] = [];
    for (const [id, url] of cluster.databaseUrls.entries()) {
      const source = databaseBlockSource(url);
      const report = await verifySource(cluster.files.genesis, source).finally(() => source.close());
      checks.expect(report.verdict.ok, `replica ${id}'s database ${report.verdict.ok ? `verifies against genesis: ${report.verdict.height} blocks, ${report.transactions} transactions` : `does not verify: ${JSON.stringify(report.verdict)}`}`);
      verdicts.push(report);
    }
    const ends = verdicts.map((v) => (v.verdict.ok ? `${v.verdict.height}:${v.verdict.headHash}` : undefined));
    const same = ends.every((e) => e !== undefined && e === ends[0]);
    checks.expect(same, `the four verified chains end in one head (${ends.map((e) => e?.slice(0, 20) ?? 'none').join(', ')})`);
    checks.expect(verdicts.every((v) => v.transactions === committed), `${committed} transactions final at the client, ${verdicts.map((v) => v.transactions).join(' / ')} on the four chains`);
    const views = await Promise.all(cluster.urls.map(async (u) => ((await (await fetch(`${u}/status`)).json()) as { view: number }).view));
    console.error(`[cluster bench] heights ${finalHeads.map((h) => h.height).join(', ')}, views ${views.join(', ')}`);

    // Mean transactions per block in a round: the transactions of its blocks, over their count.
    const perBlock = async ([h0, h1]: [number, number]) => {
      const { rows } = await replicaDbs[0].query(`SELECT count(*)::int AS blocks, coalesce(sum(json_array_length(transactions)), 0)::int AS txs FROM blocks WHERE height > $1 AND height <= $2`, [h0, h1]);
      return rows[0].blocks ? rows[0].txs / rows[0].blocks : NaN;
    };
    const peakPerBlock = median(await Promise.all(peaks.map((p) => perBlock(p.blocks))));
    const halfPerBlock = median(await Promise.all(halves.map((h) => perBlock(h.blocks))));

    const cpu = (k: 'replicas' | 'database' | 'client') => median(peaks.map((p) => p.cpu[k])) * 1000;
    const verifyCpuRate = median(verifyCpuRates);
    const cpuBound = (cores * verifyCpuRate) / 4;
    const verifyMs = (4 * 1000) / verifyCpuRate;
    const rows: Row[] = [
      { figure: `secp256k1 verifications/s, node:crypto, one core (median of ${verifyRates.length} samples between rounds)`, value: verifyRate, unit: 'verify/s' },
      { figure: `verification bound: ${cores} cores × verify/s ÷ 4`, value: bound, unit: 'tx/s' },
      { figure: 'the same checks per CPU-second of this process (what a check costs, however loaded the machine)', value: verifyCpuRate, unit: 'verify/s' },
      { figure: `4 replica processes: committed transactions/s, closed loop, ${CONCURRENCY} in flight`, value: peak, unit: 'tx/s', baseline: { name: 'verification bound', value: bound } },
      { figure: 'commit latency p50 at peak', value: median(peaks.map((p) => p.p50)), unit: 'ms' },
      { figure: 'commit latency p99 at peak', value: median(peaks.map((p) => p.p99)), unit: 'ms' },
      { figure: `commit latency p50 at half of peak (open loop, ${half.rate.toFixed(0)} tx/s)`, value: half.p50, unit: 'ms', baseline: { name: 'goal', value: 100 } },
      { figure: 'commit latency p99 at half of peak', value: half.p99, unit: 'ms' },
      { figure: 'transactions per block at peak (mean over each round\'s blocks)', value: peakPerBlock, unit: 'tx' },
      { figure: 'transactions per block at half of peak', value: halfPerBlock, unit: 'tx' },
      { figure: 'CPU per committed transaction: the four replicas', value: cpu('replicas'), unit: 'ms', baseline: { name: 'their 4 signature checks alone (CPU time)', value: verifyMs } },
      { figure: 'CPU per committed transaction: their PostgreSQL backends', value: cpu('database'), unit: 'ms' },
      { figure: 'CPU per committed transaction: the client (this process)', value: cpu('client'), unit: 'ms' },
      // What the measured throughput would be with these cores to itself: the run shares the machine.
      { figure: `capacity at that cost: ${cores} cores ÷ CPU per transaction (all of the above)`, value: (cores * 1000) / (cpu('replicas') + cpu('database') + cpu('client')), unit: 'tx/s', baseline: { name: 'verification bound in CPU time', value: cpuBound } },
    ];
    printTable(`PBFT cluster, n = 4, real processes (${SECONDS} s per round, median of ${ROUNDS})`, rows);
    client.close();
  } finally {
    await admin.end().catch(() => undefined);
    await Promise.all(replicaDbs.map((c) => c.end().catch(() => undefined)));
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
