// The chain at scale: how its cost grows with its length. For each size (BENCH_CHAIN_SIZES,
// transactions) a chain of real ledger facts — a booking's payment.success and its
// booking.confirmed, sealed and signed by the ledger key, 128 a block (the batch limit), each
// block certified by a quorum of the genesis replica keys — is built without consensus and
// written into a replica's database through the replica's own store; three real replica
// processes serve it, and a fourth, empty, catches up from them. Measured, beside a baseline
// of the same run:
// - catch-up: the empty replica fetching every block from its peers, verifying and storing it
//   (blocks/s, tx/s), against reading the same pages over HTTP without applying them;
// - `cinema chain verify --node`'s code path over the whole chain (tx/s), against the bound
//   the machine's raw secp256k1 verifications per second set (128 + 3 signatures a block);
// - a booking's proof (GET /bookings/{id}/proof's file), in bytes, against the facts it proves;
//   and how it grows with the block's size (its Merkle paths are log2 of the block's count);
// - storage per transaction on the caught-up replica (all its tables), against the
//   transactions' own canonical JSON.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import pg from 'pg';
import { initCluster, readKeyFile, request, verifyFast, verifySource, httpBlockSource, withDatabase, prepareReplicaDatabase, transactionSigningBytes, type BlockSource, type ClusterFiles, type Transaction } from '../blockchain-nodes/protocol';
import { chainBuilder, inclusionProofOf, openReplicaDatabase, opensslSigner } from '../blockchain-nodes/test/runtime/scale-chain';
import { FAST_TIMING, SERVER_URL } from '../blockchain-nodes/test/runtime/support';
import { startLocalCluster, type LocalCluster } from '../infra/local/chain';
import { createChainClient } from '../layers/chain/client';
import { dropDatabase } from '../layers/core/migrate';
import { newEvent } from '../layers/events/envelope';
import { ledgerFact, type LedgerFact } from '../functions/ledger/facts';
import { buildBookingProof, verifyBookingProof } from '../functions/ledger/proof';
import { freePort } from '../test/support/ports';
import { interleaved, median, opsPerSecond, printTable, roundName, type Row } from './lib/stats';
import { runBench, settles, type Checks } from './lib/checks';

process.env.LOG_LEVEL = 'error';
const SIZES = (process.env.BENCH_CHAIN_SIZES ?? '10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BLOCK_TXS = Number(process.env.BENCH_BLOCK_TRANSACTIONS ?? 128);
/** Blocks a write to the store carries: a replica persists one batch of what it committed at a time. */
const WRITE_BLOCKS = 16;
/** The replica runtime's catch-up page (node.ts): the baseline reads the same pages. */
const CATCH_UP_PAGE = 200;
const CATCH_UP_TIMEOUT_MS = Number(process.env.BENCH_CATCH_UP_TIMEOUT_MS ?? 1_800_000);
// no keep-alive: a poll must not meet a socket its replica closed meanwhile
const agent = new http.Agent({ keepAlive: false });
const log = (line: string) => console.error(`[chain-scale bench] ${line}`);
const fmt = (n: number) => n.toLocaleString('en');
const fail = (): never => {
  throw new Error('a transaction signature of the chain did not verify');
};

/** One customer's booking as the ledger records it: its payment, then its confirmation. */
function bookingFacts(ledger: ReturnType<typeof opensslSigner>): [LedgerFact, LedgerFact] {
  const ids = { paymentId: randomUUID(), checkoutId: randomUUID(), userId: randomUUID(), showtimeId: randomUUID() };
  const sale = { seats: ['F7', 'F8'], amount: 2400, currency: 'EUR' };
  return [
    ledgerFact(newEvent('payment.success', { ...ids, ...sale, provider: 'stripe' }, { source: 'payment' }), ledger),
    ledgerFact(newEvent('booking.confirmed', { bookingId: randomUUID(), ...ids, ...sale }, { source: 'booking' }), ledger),
  ];
}

interface Built {
  blocks: number;
  transactions: number;
  headHash: string;
  /** The canonical JSON of every transaction, in bytes: what the chain must hold at least. */
  transactionBytes: number;
  /** The booking whose proof is measured, halfway along the chain. */
  target: { bookingId: string; facts: LedgerFact[] };
  /** The chain's first transactions, to fill blocks of other sizes with. */
  sample: Transaction[];
  seconds: number;
}

/** Builds the chain into replica 0's database, through the replica's store. */
async function buildChain(files: ClusterFiles, databaseUrl: string, size: number): Promise<Built> {
  const started = performance.now();
  const builder = chainBuilder(files.genesis, files.replicaKeyFiles.map(readKeyFile));
  const ledger = opensslSigner(readKeyFile(files.submitterKeyFiles.ledger!));
  const db = await openReplicaDatabase(databaseUrl, files.genesis);
  const targetAt = 2 * Math.floor(size / 4);
  let target: Built['target'] | undefined;
  const sample: Transaction[] = [];
  let block: Transaction[] = [];
  let batch: ReturnType<typeof builder.append>[] = [];
  let transactionBytes = 0;
  try {
    const flush = async () => {
      if (batch.length) await db.write(batch);
      batch = [];
    };
    for (let i = 0; i < size; i += 2) {
      const facts = bookingFacts(ledger).slice(0, size - i);
      if (i === targetAt) target = { bookingId: facts[1]?.bookingId ?? '', facts };
      for (const f of facts) {
        block.push(f.transaction);
        transactionBytes += JSON.stringify(f.transaction).length;
        if (sample.length < 512) sample.push(f.transaction);
        if (block.length === BLOCK_TXS) {
          batch.push(builder.append(block));
          block = [];
          if (batch.length === WRITE_BLOCKS) await flush();
        }
      }
      if (i % 100_000 === 0 && i > 0) log(`${fmt(i)} transactions built`);
    }
    if (block.length) batch.push(builder.append(block));
    await flush();
  } finally {
    await db.close();
  }
  return { blocks: builder.height, transactions: size, headHash: builder.headHash, transactionBytes, target: target!, sample, seconds: (performance.now() - started) / 1000 };
}

const health = async (url: string): Promise<{ height: number } | undefined> => {
  try {
    const r = await request(agent, 'GET', new URL('/health', url), { timeoutMs: 2_000 });
    return typeof r.body?.height === 'number' ? r.body : undefined;
  } catch {
    return undefined;
  }
};

type CatchUp = { blocks: number; transactions: number; seconds: number; headHash: string };

/** An empty replica started beside the chain's three: from its first answer to its height reaching the head. */
async function catchUp(cluster: LocalCluster, id: number, built: Built): Promise<CatchUp> {
  if (cluster.running(id)) await cluster.kill(id, 'SIGKILL');
  const name = new URL(cluster.databaseUrls[id]).pathname.slice(1);
  await dropDatabase(withDatabase(SERVER_URL, 'postgres'), name);
  await prepareReplicaDatabase(cluster.databaseUrls[id]);
  const starting = cluster.start(id);
  let first: { at: number; height: number } | undefined;
  let last = 0;
  const caughtUp = await settles(async () => {
    const h = await health(cluster.urls[id]);
    if (h && !first) first = { at: performance.now(), height: h.height };
    last = h?.height ?? last;
    return last >= built.blocks;
  }, CATCH_UP_TIMEOUT_MS, 20);
  const done = performance.now();
  await starting;
  if (!caughtUp || !first) throw new Error(`replica ${id} reached height ${last} of ${built.blocks} within ${CATCH_UP_TIMEOUT_MS} ms:\n${cluster.output(id).slice(-2000)}`);
  const status = (await request(agent, 'GET', new URL('/status', cluster.urls[id]), { timeoutMs: 10_000 })).body;
  const blocks = built.blocks - first.height;
  return { blocks, transactions: Math.min(built.transactions, blocks * BLOCK_TXS), seconds: (done - first.at) / 1000, headHash: status.headHash };
}

/** The baseline of catch-up: the same pages read over HTTP from a peer, parsed, not applied. */
async function readBlocks(url: string): Promise<{ blocks: number; seconds: number }> {
  const started = performance.now();
  let blocks = 0;
  for (let from = 1; ; from += CATCH_UP_PAGE) {
    const r = await request(agent, 'GET', new URL(`/blocks?from=${from}&limit=${CATCH_UP_PAGE}`, url), { timeoutMs: 60_000 });
    if (r.status !== 200 || !Array.isArray(r.body?.blocks)) throw new Error(`GET /blocks: HTTP ${r.status}`);
    blocks += r.body.blocks.length;
    if (r.body.blocks.length < CATCH_UP_PAGE) break;
  }
  return { blocks, seconds: (performance.now() - started) / 1000 };
}

/**
 * The CLI's source, a page asked again once when its connection was reset: verifying a page of
 * 25,600 transactions on a loaded machine can outlast the replica's keep-alive (65 s), and the
 * next request then meets a socket the replica closed.
 */
function retryingOnce(source: BlockSource): BlockSource {
  return {
    ...source,
    claimedHeight: () => source.claimedHeight(),
    close: () => source.close(),
    async page(from, limit) {
      try {
        return await source.page(from, limit);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ECONNRESET') throw err;
        log(`verify: the page from ${from} asked again after ${(err as Error).message}`);
        return source.page(from, limit);
      }
    },
  };
}

/** Every table of a replica's database, in bytes (indexes and TOAST included). */
async function storedBytes(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::bigint AS bytes FROM pg_stat_user_tables`);
    return Number(rows[0].bytes);
  } finally {
    await client.end();
  }
}

async function measureSize(size: number, checks: Checks, rows: Row[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cinema-chain-scale-'));
  const prefix = `bench_scale_${randomBytes(4).toString('hex')}`;
  const ports = await Promise.all([0, 1, 2, 3].map(() => freePort()));
  const files = initCluster({ dir, addresses: ports.map((p) => `http://127.0.0.1:${p}`), chainName: `chain-scale-${size}`, rules: { maxBlockTransactions: Math.max(BLOCK_TXS, 256) } });
  const names = ports.map((_, id) => `${prefix}_replica_${id}`);
  const admin = withDatabase(SERVER_URL, 'postgres');
  let cluster: LocalCluster | undefined;
  try {
    const built = await buildChain(files, withDatabase(SERVER_URL, names[0]), size);
    log(`${fmt(size)} transactions, ${fmt(built.blocks)} blocks built and stored in ${built.seconds.toFixed(1)} s`);
    // the other two holders of the chain: copies of the first's database
    const copier = new pg.Client({ connectionString: admin });
    await copier.connect();
    try {
      for (const name of names.slice(1, 3)) await copier.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(names[0])}`);
    } finally {
      await copier.end();
    }
    cluster = await startLocalCluster({ dir, serverUrl: SERVER_URL, databasePrefix: prefix, env: FAST_TIMING, skip: [3], readyTimeoutMs: 600_000 });
    const source = cluster.urls[0];
    const c = cluster;

    /** What one round of any subject found: each fills what it measures. */
    type Round = { seconds: number; blocks?: number; transactions?: number; ok?: boolean; height?: number; headHash?: string; rate?: number };
    const rateOfVerify = () => {
      const tx = built.sample[0];
      const bytes = transactionSigningBytes(tx);
      return opsPerSecond(() => verifyFast(tx.submitter, bytes, tx.signature) || fail(), 1_000);
    };
    const named = <T>(name: string, subject: (round: number) => Promise<T>) => async (round: number) => {
      try {
        const result = await subject(round);
        if (round < 0) log(`${fmt(size)}: ${name}, the warm-up round: ${JSON.stringify(result)}`);
        return result;
      } catch (err) {
        for (const id of [0, 3]) log(`replica ${id}'s last lines:\n${c.output(id).slice(-1500)}`);
        throw new Error(`${name}, ${roundName(round)}: ${(err as Error).message}`, { cause: err });
      }
    };
    log(`${fmt(size)}: ${ROUNDS} rounds after a warm-up (catch-up, reading over HTTP, verify, raw verify)`);
    const runs = await interleaved<'catchUp' | 'readOverHttp' | 'verify' | 'rawVerify', Round>(
      ROUNDS,
      {
        catchUp: named('catch-up', () => catchUp(c, 3, built)),
        readOverHttp: named('reading over HTTP', () => readBlocks(source)),
        verify: named('verify', async () => {
          const blocks = retryingOnce(httpBlockSource(source));
          const started = performance.now();
          try {
            const report = await verifySource(files.genesis, blocks);
            return { ok: report.verdict.ok, transactions: report.transactions, height: report.verdict.height, seconds: (performance.now() - started) / 1000 };
          } finally {
            await blocks.close();
          }
        }),
        rawVerify: async () => ({ seconds: 1, rate: rateOfVerify() }),
      },
      (name, r, result) => log(`${fmt(size)}: ${name} ${roundName(r)}: ${JSON.stringify(result)}`),
    );

    // the booking's proof, as GET /bookings/{id}/proof builds it: each fact's proof from the replicas, and its disclosure
    const client = createChainClient({ nodes: c.urls.slice(0, 3), genesis: files.genesis });
    let proofBytes = NaN;
    try {
      const facts = [];
      for (const f of built.target.facts) facts.push({ event: f.eventType, proof: (await client.proofOf(f.eventId))!, disclosure: f.disclosure });
      const proof = JSON.parse(JSON.stringify(buildBookingProof(files.genesis.chainName, built.target.bookingId, facts)));
      const verdict = verifyBookingProof(files.genesis, proof);
      proofBytes = JSON.stringify(proof).length;
      checks.expect(verdict.ok && verdict.booking.facts.length === 2, `${fmt(size)}: booking ${built.target.bookingId}'s proof (block ${facts[0]?.proof?.header.height}) verifies against the genesis (${verdict.ok ? 'valid' : verdict.reason})`);
    } finally {
      client.close();
    }
    const factBytes = built.target.facts.reduce((sum, f) => sum + JSON.stringify(f.transaction).length + JSON.stringify(f.disclosure).length, 0);
    const stored = await storedBytes(c.databaseUrls[3]);

    const catchUpRate = median(runs.catchUp.map((r) => r.blocks! / r.seconds));
    const readRate = median(runs.readOverHttp.map((r) => r.blocks! / r.seconds));
    const verifyRate = median(runs.verify.map((r) => r.transactions! / r.seconds));
    const n = files.genesis.replicas.length;
    // a block costs its transactions' signatures and a quorum's commit signatures
    const verifyBound = median(runs.rawVerify.map((r) => r.rate!)) * (BLOCK_TXS / (BLOCK_TXS + n - Math.floor((n - 1) / 3)));
    const label = `${fmt(size)} tx (${fmt(built.blocks)} blocks)`;
    rows.push(
      { figure: `${label}: catch-up of an empty replica`, value: catchUpRate, unit: 'blocks/s', baseline: { name: 'reading the same pages over HTTP, not applied', value: readRate } },
      { figure: `${label}: catch-up of an empty replica`, value: median(runs.catchUp.map((r) => r.transactions! / r.seconds)), unit: 'tx/s', baseline: { name: 'the bound of raw secp256k1 verify/s', value: verifyBound } },
      { figure: `${label}: cinema chain verify --node`, value: verifyRate, unit: 'tx/s', baseline: { name: 'the bound of raw secp256k1 verify/s', value: verifyBound } },
      { figure: `${label}: a booking's proof (2 facts)`, value: proofBytes, unit: 'bytes', baseline: { name: 'the two facts and their disclosures alone', value: factBytes } },
      { figure: `${label}: storage per transaction on the caught-up replica`, value: stored / size, unit: 'bytes', baseline: { name: "the transaction's canonical JSON", value: built.transactionBytes / size } },
    );

    const head = (await request(agent, 'GET', new URL('/status', source), { timeoutMs: 10_000 })).body;
    checks.expect(head.height === built.blocks && head.headHash === built.headHash, `${fmt(size)}: the source replica serves the built chain (height ${head.height} of ${built.blocks}, head ${String(head.headHash).slice(0, 12)}…)`);
    checks.expect(runs.verify.every((r) => r.ok && r.transactions === size && r.height === built.blocks), `${fmt(size)}: every verify round found all ${fmt(built.blocks)} blocks and ${fmt(size)} transactions valid (${runs.verify.map((r) => `${r.height}/${r.transactions}`).join(', ')})`);
    checks.expect(runs.catchUp.every((r) => r.headHash === built.headHash), `${fmt(size)}: every caught-up replica's head is the source's (${runs.catchUp.map((r) => String(r.headHash).slice(0, 12)).join(', ')})`);
    checks.expect(runs.readOverHttp.every((r) => r.blocks === built.blocks), `${fmt(size)}: every HTTP read found all ${fmt(built.blocks)} blocks`);
  } finally {
    if (cluster) await cluster.destroy();
    for (const name of names) await dropDatabase(admin, name).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A booking's proof for blocks of several sizes: the Merkle paths grow as log2 of the block, nothing else does. */
async function proofByBlockSize(checks: Checks, rows: Row[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cinema-chain-scale-'));
  try {
    const files = initCluster({ dir, chainName: 'chain-scale-proofs' });
    const ledger = opensslSigner(readKeyFile(files.submitterKeyFiles.ledger!));
    const keys = files.replicaKeyFiles.map(readKeyFile);
    const fillers = Array.from({ length: 127 }, () => bookingFacts(ledger).map((f) => f.transaction)).flat();
    let smallest = NaN;
    for (const blockSize of [2, 8, 32, 128, 256]) {
      const facts = bookingFacts(ledger);
      const builder = chainBuilder(files.genesis, keys);
      const committed = builder.append([...fillers.slice(0, Math.floor((blockSize - 2) / 2)), ...facts.map((f) => f.transaction), ...fillers.slice(Math.floor((blockSize - 2) / 2), blockSize - 2)]);
      const proof = buildBookingProof(files.genesis.chainName, facts[1].bookingId!, facts.map((f) => ({ event: f.eventType, proof: inclusionProofOf(committed, f.eventId), disclosure: f.disclosure })));
      const bytes = JSON.stringify(proof).length;
      smallest = Number.isNaN(smallest) ? bytes : smallest;
      checks.expect(verifyBookingProof(files.genesis, JSON.parse(JSON.stringify(proof))).ok && proof.facts[0].proof.path.length === Math.ceil(Math.log2(blockSize)), `a proof in a block of ${blockSize} verifies, its paths ${Math.ceil(Math.log2(blockSize))} hashes long`);
      rows.push({ figure: `a booking's proof, its block of ${blockSize} tx`, value: bytes, unit: 'bytes', baseline: { name: 'in a block of 2', value: smallest } });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runBench(async (checks) => {
  const rows: Row[] = [];
  for (const size of SIZES) await measureSize(size, checks, rows);
  await proofByBlockSize(checks, rows);
  printTable(`Chain at scale — chains of ${SIZES.map(fmt).join(' / ')} ledger facts, ${BLOCK_TXS} a block, 4 replicas (3 serving, 1 catching up), ${ROUNDS} rounds interleaved after a warm-up`, rows);
});
