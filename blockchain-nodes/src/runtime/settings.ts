// A replica's settings, read from the environment (see blockchain-nodes/README.md, "Running a
// replica"). A variable that is missing or malformed stops it at once, naming the variable.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../../layers/core/config';
import { publicKeyOf } from '../chain/crypto';
import { genesisProblems, type Genesis } from '../chain/genesis';
import type { Timing } from '../pbft/replica';
import { readKeyFile, replicaKeyFileOf } from './cluster-config';
import { databaseOf } from './store';

const optionalInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max).optional();

export interface ReplicaSettings {
  id: number;
  genesis: Genesis;
  secretKey: string;
  databaseUrl: string;
  host: string;
  port: number;
  peerUrls: string[];
  timing: Partial<Timing>;
  tickMs: number;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): ReplicaSettings {
  const c = loadConfig(
    {
      REPLICA_ID: z.coerce.number().int().min(0),
      CHAIN_DIR: z.string().optional(),
      CHAIN_GENESIS_FILE: z.string().optional(),
      CHAIN_GENESIS: z.string().optional(),
      REPLICA_KEY_FILE: z.string().optional(),
      REPLICA_KEY: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters').optional(),
      REPLICA_DATABASE_URL: z.string().url().optional(),
      DATABASE_URL: z.string().url().optional(),
      HOST: z.string().default('127.0.0.1'),
      PORT: optionalInt(1, 65_535),
      REPLICA_PEERS: z.string().optional(),
      REPLICA_MAX_BATCH: optionalInt(1, 100_000),
      REPLICA_BATCH_DELAY_MS: optionalInt(0, 60_000),
      REPLICA_MAX_IN_FLIGHT: optionalInt(1, 1_000),
      REPLICA_VIEW_CHANGE_TIMEOUT_MS: optionalInt(10, 3_600_000),
      REPLICA_STATUS_INTERVAL_MS: optionalInt(5, 600_000),
      REPLICA_TICK_MS: optionalInt(1, 10_000),
    },
    env,
  );
  const fail = (name: string, problem: string): never => {
    throw new ConfigError(`Invalid configuration: ${name}: ${problem}`);
  };
  const genesisFile = c.CHAIN_GENESIS_FILE ?? (c.CHAIN_DIR ? join(c.CHAIN_DIR, 'genesis.json') : undefined);
  let genesisText: string;
  let genesisName: string;
  if (c.CHAIN_GENESIS) {
    genesisText = c.CHAIN_GENESIS;
    genesisName = 'CHAIN_GENESIS';
  } else if (genesisFile) {
    genesisName = c.CHAIN_GENESIS_FILE ? 'CHAIN_GENESIS_FILE' : 'CHAIN_DIR';
    if (!existsSync(genesisFile)) fail(genesisName, `${genesisFile} does not exist (make one with \`cinema chain init\`)`);
    genesisText = readFileSync(genesisFile, 'utf8');
  } else {
    return fail('CHAIN_GENESIS_FILE', 'required (or CHAIN_GENESIS, or CHAIN_DIR)');
  }
  let genesis: Genesis;
  try {
    genesis = JSON.parse(genesisText);
  } catch {
    return fail(genesisName, 'not JSON');
  }
  const problems = genesisProblems(genesis);
  if (problems.length) fail(genesisName, `not a genesis: ${problems.join('; ')}`);
  const id = c.REPLICA_ID;
  if (id >= genesis.replicas.length) fail('REPLICA_ID', `the genesis has replicas 0–${genesis.replicas.length - 1}`);

  let secretKey: string;
  if (c.REPLICA_KEY) secretKey = c.REPLICA_KEY;
  else {
    const keyFile = c.REPLICA_KEY_FILE ?? replicaKeyFileOf(c.CHAIN_DIR ?? dirname(genesisFile ?? '.'), id);
    const name = c.REPLICA_KEY_FILE ? 'REPLICA_KEY_FILE' : 'REPLICA_KEY_FILE (default)';
    if (!existsSync(keyFile)) return fail(name, `${keyFile} does not exist`);
    try {
      secretKey = readKeyFile(keyFile);
    } catch (err) {
      return fail(name, (err as Error).message);
    }
  }
  if (publicKeyOf(secretKey) !== genesis.replicas[id].publicKey) fail(c.REPLICA_KEY ? 'REPLICA_KEY' : 'REPLICA_KEY_FILE', `not the key genesis lists for replica ${id}`);

  const databaseUrl = c.REPLICA_DATABASE_URL ?? c.DATABASE_URL ?? fail('REPLICA_DATABASE_URL', 'required (or DATABASE_URL): the replica\'s own database');
  if (!databaseOf(databaseUrl) || databaseOf(databaseUrl) === 'postgres') fail(c.REPLICA_DATABASE_URL ? 'REPLICA_DATABASE_URL' : 'DATABASE_URL', 'must name the replica\'s own database in its path');

  const peerUrls = c.REPLICA_PEERS ? c.REPLICA_PEERS.split(',').map((s) => s.trim()) : genesis.replicas.map((r) => r.address);
  if (peerUrls.length !== genesis.replicas.length) fail('REPLICA_PEERS', `${peerUrls.length} URLs for ${genesis.replicas.length} replicas`);
  for (const u of peerUrls) {
    try {
      if (!/^https?:$/.test(new URL(u).protocol)) throw new Error();
    } catch {
      fail(c.REPLICA_PEERS ? 'REPLICA_PEERS' : `${genesisName} (replica addresses)`, `"${u}" is not an http URL`);
    }
  }
  const port = c.PORT ?? Number(new URL(peerUrls[id]).port || 80);
  const timing: Partial<Timing> = {};
  // Blocks of 128 by default (the core's): 256 was tried and, measured on a quiet machine, cost
  // more CPU per transaction and gave less at peak (blockchain-nodes/README.md, "Second pass")
  if (c.REPLICA_MAX_BATCH !== undefined) timing.maxBatch = c.REPLICA_MAX_BATCH;
  if (c.REPLICA_BATCH_DELAY_MS !== undefined) timing.batchDelay = c.REPLICA_BATCH_DELAY_MS;
  // One block in flight at a time: under load each block carries what arrived while the one before
  // was agreed on, and on two shared cores fewer, fuller blocks beat a deeper pipeline (see README).
  timing.maxInFlight = c.REPLICA_MAX_IN_FLIGHT ?? 1;
  // No block for this long while transactions wait: ask for a new primary. Longer than the core's 2 s:
  // on a busy shared machine a starved primary is not a failed one, and a needless view change costs seconds.
  timing.viewChangeTimeout = c.REPLICA_VIEW_CHANGE_TIMEOUT_MS ?? 4_000;
  if (c.REPLICA_STATUS_INTERVAL_MS !== undefined) timing.statusInterval = c.REPLICA_STATUS_INTERVAL_MS;
  return { id, genesis, secretKey, databaseUrl, host: c.HOST, port, peerUrls, timing, tickMs: c.REPLICA_TICK_MS ?? 10 };
}
