// A local PBFT cluster: one replica process per genesis entry (blockchain-nodes/src/runtime/
// main.ts), each with its own database `<prefix>_replica_<id>` on the given PostgreSQL server.
// `npm start` runs the dev cluster on :4006–:4009; tests and benchmarks run their own on free
// ports, restart and kill replicas, and drop the databases after.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import { ROOT } from './gateway';
import { dropDatabase } from '../../layers/core/migrate';
import { ensureCluster, readKeyFile, type ClusterFiles, type InitOptions, prepareReplicaDatabase, withDatabase, request } from '../../blockchain-nodes/protocol';

export const REPLICA_MAIN = join(ROOT, 'blockchain-nodes', 'src', 'runtime', 'main.ts');

export interface LocalClusterOptions {
  /** Folder of genesis.json and keys/; made on first use. */
  dir: string;
  /** How to make the cluster when `dir` holds none (replicas, addresses, rules…). */
  init?: Omit<InitOptions, 'dir'>;
  /** PostgreSQL server URL; each replica's database is made on it. */
  serverUrl: string;
  databasePrefix: string;
  /** Environment for every replica (timing, LOG_LEVEL), and per replica (e.g. REPLICA_PEERS to route its peer links). */
  env?: Record<string, string>;
  replicaEnv?: Record<number, Record<string, string>>;
  /** The program a replica runs, chosen from its environment at each start (default REPLICA_MAIN): a test cluster runs its Byzantine replicas' own. */
  program?: (env: NodeJS.ProcessEnv) => string;
  /** Replicas left stopped at start. */
  skip?: number[];
  /** Each replica's output goes to `<logDir>/replica-<id>.log` when given. */
  logDir?: string;
  onLine?: (id: number, line: string) => void;
  readyTimeoutMs?: number;
}

export interface LocalCluster {
  files: ClusterFiles;
  urls: string[];
  databaseUrls: string[];
  /** What the ledger and the chain client need: CHAIN_NODES, CHAIN_GENESIS_FILE, LEDGER_SIGNING_KEY. */
  env: { CHAIN_NODES: string; CHAIN_GENESIS_FILE: string; LEDGER_SIGNING_KEY: string };
  ledgerKey: string;
  running(id: number): boolean;
  /** The process id of replica `id` while it runs. */
  pid(id: number): number | undefined;
  /** (Re)starts replica `id`, with extra environment if given; resolves once it is healthy. */
  start(id: number, env?: Record<string, string>): Promise<void>;
  /** Kills replica `id` at once (SIGKILL, a crash) or stops it (SIGTERM). */
  kill(id: number, signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** The last lines replica `id` printed. */
  output(id: number): string;
  stop(): Promise<void>;
  /** Stops every replica and drops their databases. */
  destroy(): Promise<void>;
}

const agent = new http.Agent({ keepAlive: false });

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`replica at ${url} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output().slice(-3000)}`);
    try {
      const r = await request(agent, 'GET', new URL('/health', url), { timeoutMs: 1_000 });
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`replica at ${url} not healthy within ${timeoutMs} ms:\n${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const files = ensureCluster({ dir: opts.dir, ...opts.init });
  const n = files.genesis.replicas.length;
  const urls = files.genesis.replicas.map((r) => r.address.replace(/\/+$/, ''));
  const names = urls.map((_, id) => `${opts.databasePrefix}_replica_${id}`);
  const databaseUrls = names.map((name) => withDatabase(opts.serverUrl, name));
  await Promise.all(databaseUrls.map((url) => prepareReplicaDatabase(url)));
  const ledgerKeyFile = files.submitterKeyFiles.ledger;
  if (!ledgerKeyFile) throw new Error(`${files.dir} has no key for the ledger submitter`);
  const ledgerKey = readKeyFile(ledgerKeyFile);
  const children: (ChildProcess | undefined)[] = new Array(n).fill(undefined);
  const outputs: string[] = new Array(n).fill('');
  const logs: (WriteStream | undefined)[] = urls.map((_, id) => (opts.logDir ? createWriteStream(join(opts.logDir, `replica-${id}.log`), { flags: 'a' }) : undefined));
  const lastEnv: Record<string, string>[] = urls.map((_, id) => ({ ...opts.replicaEnv?.[id] }));

  const running = (id: number) => {
    const c = children[id];
    return !!c && c.exitCode === null && c.signalCode === null;
  };

  async function start(id: number, env?: Record<string, string>): Promise<void> {
    if (running(id)) throw new Error(`replica ${id} is running`);
    if (env) lastEnv[id] = env;
    const inherited: NodeJS.ProcessEnv = { ...process.env };
    // what this cluster decides, whatever the surrounding environment says (a caller may still route peers, e.g. through proxies)
    for (const name of ['CHAIN_GENESIS', 'CHAIN_DIR', 'REPLICA_KEY', 'REPLICA_PEERS', 'PORT', 'DATABASE_URL']) delete inherited[name];
    const childEnv: NodeJS.ProcessEnv = { ...inherited, LOG_LEVEL: process.env.REPLICA_LOG_LEVEL ?? 'info', ...opts.env, ...lastEnv[id] };
    Object.assign(childEnv, {
      REPLICA_ID: String(id),
      CHAIN_GENESIS_FILE: files.genesisFile,
      REPLICA_KEY_FILE: files.replicaKeyFiles[id],
      REPLICA_DATABASE_URL: databaseUrls[id],
      HOST: '127.0.0.1',
    });
    // REPLICA_NODE_ARGS: extra node flags for the replicas, e.g. --cpu-prof to profile them
    // A larger young generation: a replica allocates fast (JSON in and out), and scavenges less often (~5% more throughput).
    const nodeArgs = ['--max-semi-space-size=32', ...(process.env.REPLICA_NODE_ARGS ?? '').split(' ').filter(Boolean)];
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', opts.program?.(childEnv) ?? REPLICA_MAIN], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    // the IPC channel is only a lifeline: when this process dies, the replica sees it close and exits
    child.unref();
    child.channel?.unref();
    children[id] = child;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      outputs[id] = (outputs[id] + text).slice(-100_000);
      logs[id]?.write(text);
      if (opts.onLine) for (const line of text.split('\n')) if (line.trim()) opts.onLine(id, line);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    await waitHealthy(urls[id], child, opts.readyTimeoutMs ?? 60_000, () => outputs[id]);
  }

  async function kill(id: number, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const child = children[id];
    if (!child || !running(id)) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = signal === 'SIGTERM' ? setTimeout(() => child.kill('SIGKILL'), 5_000) : undefined;
    await exited;
    clearTimeout(timer);
  }

  const stop = async () => {
    await Promise.all(urls.map((_, id) => kill(id, 'SIGTERM')));
    for (const l of logs) l?.end();
  };

  const cluster: LocalCluster = {
    files,
    urls,
    databaseUrls,
    env: { CHAIN_NODES: urls.join(','), CHAIN_GENESIS_FILE: files.genesisFile, LEDGER_SIGNING_KEY: ledgerKey },
    ledgerKey,
    running,
    pid: (id) => (running(id) ? children[id]?.pid : undefined),
    start,
    kill,
    output: (id) => outputs[id],
    stop,
    async destroy() {
      await stop();
      for (const name of names) await dropDatabase(withDatabase(opts.serverUrl, 'postgres'), name).catch(() => undefined);
    },
  };
  try {
    await Promise.all(urls.map((_, id) => (opts.skip?.includes(id) ? undefined : start(id))));
    // in touch with each other (a replica takes client transactions only then), or as good as it gets
    const deadline = Date.now() + 10_000;
    const ready = async (id: number) => (await request(agent, 'GET', new URL('/health', urls[id]), { timeoutMs: 1_000 }).catch(() => undefined))?.body?.ready === true;
    for (const id of urls.keys()) while (running(id) && !(await ready(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
  return cluster;
}
