// A cluster's configuration on disk: genesis.json (public: replica ids, addresses and keys, the
// submitters' keys, the consensus rules) and keys/ (secret, mode 0600): one key per replica and
// one per submitting service (`ledger`). `cinema chain init` and `npm start` make it.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPair, publicKeyOf } from '../chain/crypto';
import { defaultRules, genesisProblems, type ConsensusRules, type Genesis } from '../chain/genesis';

export interface ClusterFiles {
  dir: string;
  genesisFile: string;
  genesis: Genesis;
  replicaKeyFiles: string[];
  /** Submitter name → key file. */
  submitterKeyFiles: Record<string, string>;
}

export interface InitOptions {
  dir: string;
  replicas?: number;
  host?: string;
  basePort?: number;
  /** Base URL of each replica, overriding host and ports. */
  addresses?: string[];
  chainName?: string;
  submitters?: string[];
  rules?: Partial<ConsensusRules>;
  /** Replace an existing configuration (new keys: a new chain). */
  force?: boolean;
}

const KEY = /^[0-9a-f]{64}$/;

export const genesisFileOf = (dir: string) => join(dir, 'genesis.json');
export const replicaKeyFileOf = (dir: string, id: number) => join(dir, 'keys', `replica-${id}.key`);
export const submitterKeyFileOf = (dir: string, name: string) => join(dir, 'keys', `${name}.key`);

function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function readKeyFile(file: string): string {
  const key = readFileSync(file, 'utf8').trim();
  if (!KEY.test(key)) throw new Error(`${file} does not hold a key (64 lower-case hex characters)`);
  return key;
}

export function initCluster(opts: InitOptions): ClusterFiles {
  const dir = resolve(opts.dir);
  const genesisFile = genesisFileOf(dir);
  if (existsSync(genesisFile) && !opts.force) throw new Error(`${genesisFile} exists; pass --force to replace the cluster (its chain becomes unreadable with new keys)`);
  const n = opts.addresses?.length ?? opts.replicas ?? 4;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('a cluster needs at least one replica');
  const host = opts.host ?? '127.0.0.1';
  const basePort = opts.basePort ?? 4006;
  const submitters = opts.submitters ?? ['ledger'];
  mkdirSync(join(dir, 'keys'), { recursive: true, mode: 0o700 });
  chmodSync(join(dir, 'keys'), 0o700);
  const replicaKeys = Array.from({ length: n }, generateKeyPair);
  const submitterKeys = submitters.map((name) => ({ name, ...generateKeyPair() }));
  const genesis: Genesis = {
    chainName: opts.chainName ?? `cinema-dev-${new Date().toISOString().slice(0, 10)}`,
    createdAt: Date.now(),
    replicas: replicaKeys.map((k, id) => ({ id, address: opts.addresses?.[id] ?? `http://${host}:${basePort + id}`, publicKey: k.publicKey })),
    submitters: submitterKeys.map((k) => ({ name: k.name, publicKey: k.publicKey })),
    rules: { ...defaultRules, ...opts.rules },
  };
  const problems = genesisProblems(genesis);
  if (problems.length) throw new Error(`invalid genesis: ${problems.join('; ')}`);
  const replicaKeyFiles = replicaKeys.map((k, id) => {
    const file = replicaKeyFileOf(dir, id);
    writeSecret(file, k.secretKey + '\n');
    return file;
  });
  const submitterKeyFiles: Record<string, string> = {};
  for (const k of submitterKeys) {
    const file = submitterKeyFileOf(dir, k.name);
    writeSecret(file, k.secretKey + '\n');
    submitterKeyFiles[k.name] = file;
  }
  writeFileSync(genesisFile, JSON.stringify(genesis, null, 2) + '\n', { mode: 0o644 });
  return { dir, genesisFile, genesis, replicaKeyFiles, submitterKeyFiles };
}

/** Reads a cluster made by initCluster, checking that each key file matches its genesis key. */
export function loadCluster(dirArg: string): ClusterFiles {
  const dir = resolve(dirArg);
  const genesisFile = genesisFileOf(dir);
  const genesis = JSON.parse(readFileSync(genesisFile, 'utf8')) as Genesis;
  const problems = genesisProblems(genesis);
  if (problems.length) throw new Error(`${genesisFile}: invalid genesis: ${problems.join('; ')}`);
  const replicaKeyFiles = genesis.replicas.map((r) => {
    const file = replicaKeyFileOf(dir, r.id);
    if (publicKeyOf(readKeyFile(file)) !== r.publicKey) throw new Error(`${file} is not the key genesis lists for replica ${r.id}`);
    return file;
  });
  const submitterKeyFiles: Record<string, string> = {};
  for (const s of genesis.submitters) {
    const file = submitterKeyFileOf(dir, s.name);
    if (existsSync(file)) {
      if (publicKeyOf(readKeyFile(file)) !== s.publicKey) throw new Error(`${file} is not the key genesis lists for submitter ${s.name}`);
      submitterKeyFiles[s.name] = file;
    }
  }
  return { dir, genesisFile, genesis, replicaKeyFiles, submitterKeyFiles };
}

/** The cluster in `dir`, made on first use. */
export function ensureCluster(opts: InitOptions): ClusterFiles & { created: boolean } {
  if (existsSync(genesisFileOf(resolve(opts.dir)))) return { ...loadCluster(opts.dir), created: false };
  return { ...initCluster(opts), created: true };
}
