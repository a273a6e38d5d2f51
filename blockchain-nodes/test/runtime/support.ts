// A test file's own cluster of real replica processes on free loopback ports, each with its
// own database (a unique prefix on the local PostgreSQL); destroy() kills them and drops the
// databases. Timing is fast so view changes and catch-up fit in a test. A replica given
// REPLICA_BYZANTINE runs the Byzantine test entry (byzantine-replica.ts) instead of the program.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import pg from 'pg';
import { REPLICA_MAIN, startLocalCluster, type LocalCluster } from '../../../infra/local/chain';
import { freePort } from '../../../test/support/ports';
import { createChainClient } from '../../../layers/chain/client';
import { DEFAULT_DATABASE_URL } from '../../../layers/core/db';
import { secp256k1Signer } from '../../src/chain/crypto';
import { signTransaction, type Transaction } from '../../src/chain/transaction';
import type { ConsensusRules } from '../../src/chain/genesis';
import type { Json } from '../../src/chain/encoding';
import { request } from '../../src/runtime/http';

/** The program a Byzantine replica runs (a path, so that a test process need not load the replica runtime). */
export const BYZANTINE_REPLICA = join(dirname(fileURLToPath(import.meta.url)), 'byzantine-replica.ts');

export const SERVER_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

export const FAST_TIMING = {
  REPLICA_VIEW_CHANGE_TIMEOUT_MS: '800',
  REPLICA_STATUS_INTERVAL_MS: '150',
  REPLICA_BATCH_DELAY_MS: '2',
  REPLICA_TICK_MS: '5',
  LOG_LEVEL: process.env.REPLICA_LOG_LEVEL ?? 'warn',
};

export interface TestCluster extends LocalCluster {
  n: number;
  client: ReturnType<typeof createChainClient>;
  tx(payload?: Json, type?: string): Transaction;
  api(id: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** (height, hash) of every block in replica `id`'s database — readable while the replica is down. */
  chain(id: number): Promise<{ height: number; hash: string }[]>;
  /** Waits until the given replicas hold identical chains of at least `minHeight` blocks. */
  converged(ids: number[], minHeight: number, timeoutMs?: number): Promise<{ height: number; hash: string }[]>;
  pool(id: number): pg.Pool;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

export async function startTestCluster(
  opts: { n?: number; ports?: number[]; rules?: Partial<ConsensusRules>; env?: Record<string, string>; replicaEnv?: Record<number, Record<string, string>>; skip?: number[] } = {},
): Promise<TestCluster> {
  const n = opts.ports?.length ?? opts.n ?? 4;
  const dir = mkdtempSync(join(tmpdir(), 'cinema-cluster-'));
  const ports = opts.ports ?? (await Promise.all(Array.from({ length: n }, () => freePort())));
  const prefix = `t_${randomBytes(5).toString('hex')}`;
  let cluster: LocalCluster;
  try {
    cluster = await startLocalCluster({
      dir,
      init: { addresses: ports.map((p) => `http://127.0.0.1:${p}`), chainName: `test-${prefix}`, rules: opts.rules },
      serverUrl: SERVER_URL,
      databasePrefix: prefix,
      env: { ...FAST_TIMING, ...opts.env },
      replicaEnv: opts.replicaEnv,
      program: (env) => (env.REPLICA_BYZANTINE ? BYZANTINE_REPLICA : REPLICA_MAIN),
      skip: opts.skip,
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const client = createChainClient({ nodes: cluster.urls, genesis: cluster.files.genesis, pollMs: 50, longPollMs: 2_000 });
  const signer = secp256k1Signer(cluster.ledgerKey);
  const pools = new Map<number, pg.Pool>();
  let destroyed = false;
  const pool = (id: number) => {
    let p = pools.get(id);
    if (!p) {
      pools.set(id, (p = new pg.Pool({ connectionString: cluster.databaseUrls[id], max: 2 })));
      p.on('error', () => undefined);
    }
    return p;
  };
  const chain = async (id: number) =>
    (await pool(id).query(`SELECT height, hash FROM blocks ORDER BY height`)).rows.map((r) => ({ height: Number(r.height), hash: r.hash as string }));
  return {
    ...cluster,
    n,
    client,
    pool,
    tx: (payload = { at: Date.now() }, type = 'payment.success') => signTransaction({ id: randomUUID(), type, payload, submitter: signer.publicKey }, signer),
    async api(id, method, path, body) {
      const r = await request(agent, method, new URL(path, cluster.urls[id]), { body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), timeoutMs: 30_000 });
      return { status: r.status, body: r.body };
    },
    chain,
    async converged(ids, minHeight, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const chains = await Promise.all(ids.map(chain));
        const [first] = chains;
        if (first.length >= minHeight && chains.every((c) => c.length === first.length && c.every((b, i) => b.hash === first[i].hash))) return first;
        if (Date.now() > deadline) {
          throw new Error(`chains of replicas ${ids.join(', ')} did not converge at ${minHeight}+ blocks: heights ${chains.map((c) => c.length).join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async destroy() {
      // once: a test's clean-up may reach a cluster an earlier clean-up already destroyed
      if (destroyed) return;
      destroyed = true;
      client.close();
      await Promise.all([...pools.values()].map((p) => p.end()));
      await cluster.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Closed-loop load: `workers` submitters, each submitting its next transaction once the last is final, until stop(). */
export function closedLoop(cluster: TestCluster, opts: { workers: number; timeoutMs?: number }) {
  const finals: { id: string; height: number; blockHash: string }[] = [];
  const failures: string[] = [];
  let stopped = false;
  const done = Promise.all(
    Array.from({ length: opts.workers }, async (_, worker) => {
      while (!stopped) {
        const tx = cluster.tx({ worker, n: finals.length });
        try {
          const r = await cluster.client.submitAndAwaitFinal(tx, { timeoutMs: opts.timeoutMs ?? 20_000 });
          finals.push({ id: tx.id, height: r.height, blockHash: r.blockHash });
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    }),
  );
  return {
    finals,
    failures,
    /** Resolves once `count` more transactions are final than when it was called. */
    async more(count: number, timeoutMs = 30_000) {
      const target = finals.length + count;
      const deadline = Date.now() + timeoutMs;
      while (finals.length < target) {
        if (Date.now() > deadline) throw new Error(`only ${finals.length - target + count} of ${count} more transactions final within ${timeoutMs} ms; failures: ${failures.slice(-3).join(' | ')}`);
        await sleep(50);
      }
    },
    async stop() {
      stopped = true;
      await done;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { randomUUID };
