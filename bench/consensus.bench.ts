// PBFT consensus: what a signature check costs with noble and with node:crypto, and what the
// protocol core sustains at n = 4 with batching — four replicas in this one process on a
// loss-free in-memory network, real secp256k1, every replica verifying everything it receives.
// The core's figures are set against the verification bound: how many transactions per second
// these cores could commit if checking signatures were the only work.
import os from 'node:os';
import { countingVerifier, secp256k1Signer, verifyFast, verifyWithNoble, sha256Hex, utf8, defaultRules, openChain, type Genesis, signTransaction, type Transaction, createReplica, type Input, type ReplicaState } from '../blockchain-nodes/protocol';
import { median, opsPerSecond, printTable, repeat, type Row } from './lib/stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 1_500);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const N = 4;

const key = (label: string) => sha256Hex(utf8(`bench:${label}`));
const replicaSigners = Array.from({ length: N }, (_, i) => secp256k1Signer(key(`replica-${i}`)));
const ledger = secp256k1Signer(key('ledger'));
const genesis: Genesis = {
  chainName: 'cinema-bench',
  createdAt: 1_700_000_000_000,
  replicas: replicaSigners.map((s, id) => ({ id, address: `127.0.0.1:${4006 + id}`, publicKey: s.publicKey })),
  submitters: [{ name: 'ledger', publicKey: ledger.publicKey }],
  rules: defaultRules,
};
const chain = openChain(genesis);

function bookingTransactions(count: number, round: number): Transaction[] {
  return Array.from({ length: count }, (_, i) => {
    const hex = sha256Hex(utf8(`tx:${round}:${i}`));
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const payload = { bookingId: id, showtimeId: `st-${i % 40}`, seats: [`F${(i % 20) + 1}`], amountCents: 1250, currency: 'EUR' };
    return signTransaction({ id, type: 'booking.confirmed', payload, submitter: ledger.publicKey }, ledger);
  });
}

interface ClusterRun {
  seconds: number;
  cpuSeconds: number;
  verifications: number;
  blocks: number;
}

/** Submits every transaction to every replica, then lets time pass until all four replicas committed all of them. */
function runCluster(transactions: Transaction[], batch: number): ClusterRun {
  const verify = countingVerifier(verifyFast);
  const cores = replicaSigners.map((signer, id) =>
    createReplica({ genesis: chain, id, signer, verify, timing: { maxBatch: batch, batchDelay: 5, maxInFlight: 4, statusInterval: 1_000, viewChangeTimeout: 60_000 } }),
  );
  const states: ReplicaState[] = cores.map((c) => c.initialState(genesis.createdAt));
  const queue: [number, Input][] = [];
  const committed = new Array<number>(N).fill(0);
  let blocks = 0;
  const step = (id: number, input: Input) => {
    const out = cores[id].step(states[id], input);
    states[id] = out.state;
    for (const c of out.committed) committed[id] += c.block.transactions.length;
    if (id === 0) blocks += out.committed.length;
    for (const { to, message } of out.send) for (const dest of to === 'all' ? [0, 1, 2, 3].filter((r) => r !== id) : [to]) queue.push([dest, { kind: 'message', from: id, message }]);
  };
  const drain = () => {
    for (let i = 0; i < queue.length; i++) step(...queue[i]);
    queue.length = 0;
  };

  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const transaction of transactions) for (let id = 0; id < N; id++) step(id, { kind: 'request', transaction });
  drain();
  for (let now = genesis.createdAt + 10; committed.some((k) => k < transactions.length); now += 10) {
    for (let id = 0; id < N; id++) step(id, { kind: 'tick', now });
    drain();
    if (now > genesis.createdAt + 600_000) throw new Error(`stalled at ${committed.join('/')} of ${transactions.length}`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, verifications: verify.count, blocks };
}

/** Like opsPerSecond, but per CPU-second of this process: what a core can do, whatever else the machine runs. */
function opsPerCpuSecond(body: (i: number) => void, ms = 300): number {
  const cpu0 = process.cpuUsage();
  let n = 0;
  let used = 0;
  do {
    for (let k = 0; k < 16; k++) body(n++);
    const d = process.cpuUsage(cpu0);
    used = d.user + d.system;
  } while (used < ms * 1000);
  return n / (used / 1e6);
}

// ── signatures ──
const message = utf8(JSON.stringify({ booking: 'b-42', seats: ['F7', 'F8'], amountCents: 2500 }));
const signature = ledger.sign(message);
const nodeRates = await repeat(ROUNDS, () => opsPerSecond(() => verifyFast(ledger.publicKey, message, signature), 400));
const nobleRates = await repeat(ROUNDS, () => opsPerSecond(() => verifyWithNoble(ledger.publicKey, message, signature), 400));
const signRates = await repeat(ROUNDS, () => opsPerSecond((i) => ledger.sign(utf8(`m${i}`)), 300));

// ── the core ──
// The whole cluster runs on one thread here, so one core's worth of verification is the bound:
// bound = cores × verifications/s ÷ verifications per transaction. Each round measures the
// verification rate right before its cluster run, so both see the same machine.
const CORES_USED = 1;
interface Measured {
  rate: number;
  bound: number;
  cpuPerTx: number;
  verifyCpuPerTx: number;
  verificationsPerTx: number;
  blocks: number;
}
function measure(count: number, batch: number, round: number): Measured {
  const verifyWall = opsPerSecond(() => verifyFast(ledger.publicKey, message, signature), 300);
  const verifyCpu = opsPerCpuSecond(() => verifyFast(ledger.publicKey, message, signature), 300);
  const run = runCluster(bookingTransactions(count, round), batch);
  const verificationsPerTx = run.verifications / count;
  return {
    rate: count / run.seconds,
    bound: (CORES_USED * verifyWall) / verificationsPerTx,
    cpuPerTx: run.cpuSeconds / count,
    verifyCpuPerTx: verificationsPerTx / verifyCpu,
    verificationsPerTx,
    blocks: run.blocks,
  };
}
const med = (runs: Measured[], key: keyof Measured) => median(runs.map((r) => r[key]));

runCluster(bookingTransactions(200, -1), BATCH); // warm-up
const batched = await repeat(ROUNDS, (round) => measure(TRANSACTIONS, BATCH, round));
const unbatchedCount = Math.min(TRANSACTIONS, 200);
const unbatched = await repeat(ROUNDS, (round) => measure(unbatchedCount, 1, 100 + round));

const rows: Row[] = [
  { figure: 'secp256k1 verifications/s, node:crypto fast path', value: median(nodeRates), unit: 'verify/s', baseline: { name: 'noble', value: median(nobleRates) } },
  { figure: 'secp256k1 signatures/s, noble (RFC 6979, low-S)', value: median(signRates), unit: 'sign/s' },
  { figure: `core, n=4, batch ≤ ${BATCH}: committed transactions/s, cluster on ${CORES_USED} core`, value: med(batched, 'rate'), unit: 'tx/s', baseline: { name: 'verification bound', value: med(batched, 'bound') } },
  { figure: `core, n=4, batch ≤ ${BATCH}: CPU per committed transaction`, value: med(batched, 'cpuPerTx') * 1e6, unit: 'µs', baseline: { name: 'its signature checks alone', value: med(batched, 'verifyCpuPerTx') * 1e6 } },
  { figure: `core, n=4, batch ≤ ${BATCH}: signature checks per transaction, whole cluster`, value: med(batched, 'verificationsPerTx'), unit: 'verify/tx' },
  { figure: 'core, n=4, one transaction per block: committed transactions/s', value: med(unbatched, 'rate'), unit: 'tx/s', baseline: { name: 'verification bound', value: med(unbatched, 'bound') } },
  { figure: 'core, n=4, one transaction per block: signature checks per transaction', value: med(unbatched, 'verificationsPerTx'), unit: 'verify/tx', baseline: { name: `batch ≤ ${BATCH}`, value: med(batched, 'verificationsPerTx') } },
];
printTable(
  `PBFT consensus — medians of ${ROUNDS} rounds; ${TRANSACTIONS} transactions per batched round (${med(batched, 'blocks')} blocks); ${os.cpus().length} cores on this machine, the cluster on one`,
  rows,
);
