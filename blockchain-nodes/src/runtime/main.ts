// The replica program: `node --import tsx blockchain-nodes/src/runtime/main.ts`, configured by
// the environment (see blockchain-nodes/README.md, "Running a replica"). A variable that is
// missing or malformed stops it at once, naming the variable.
import { createLogger } from '../../../layers/core/log';
import { chainOf } from '../chain/verify';
import { createReplicaServer } from './api';
import { ReplicaNode, type ReplicaNodeOptions } from './node';
import { settingsFromEnv, type ReplicaSettings } from './settings';
import { ReplicaStore } from './store';

/** What a program may add to the replica it runs: only test clusters' Byzantine entry adds anything. */
export type ReplicaExtras = Pick<ReplicaNodeOptions, 'byzantine'>;

async function serve(settings: ReplicaSettings, extras: ReplicaExtras): Promise<void> {
  const log = createLogger({ service: 'replica', replica: settings.id });
  const chain = chainOf(settings.genesis);
  const store = new ReplicaStore(settings.databaseUrl, chain);
  await store.open();
  const node = new ReplicaNode({
    genesis: chain,
    id: settings.id,
    secretKey: settings.secretKey,
    store,
    peerUrls: settings.peerUrls,
    timing: settings.timing,
    tickMs: settings.tickMs,
    log,
    ...extras,
    onFatal: () => process.exit(1),
  });
  await node.start();
  const server = createReplicaServer(node, store, log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, resolve);
  });
  log.info('replica listening', { url: `http://${settings.host}:${settings.port}`, chain: chain.genesis.chainName, n: chain.n, height: node.durableHeight, view: node.state.view });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.close();
    server.closeAllConnections();
    await node.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Started by a local cluster with an IPC channel: when the starter dies, so does the replica.
  if (process.channel) {
    process.on('disconnect', () => void stop('parent exited'));
    process.channel.unref();
  }
}

/** Runs a replica process: its settings first (a bad one exits 2, naming it), then it serves until stopped. */
export function runReplicaProgram<S extends ReplicaSettings>(readSettings: () => S, extrasOf: (settings: S) => ReplicaExtras = () => ({})): void {
  let settings: S;
  try {
    settings = readSettings();
  } catch (err) {
    console.error(`replica: ${(err as Error).message}`);
    process.exit(2);
  }
  serve(settings, extrasOf(settings)).catch((err) => {
    console.error(`replica: ${(err as Error).stack ?? err}`);
    process.exit(1);
  });
}

if (process.argv[1] && /runtime[\\/]main\.[tj]s$/.test(process.argv[1])) runReplicaProgram(() => settingsFromEnv());
