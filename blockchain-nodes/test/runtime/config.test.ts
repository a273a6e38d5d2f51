// A cluster's configuration: `cinema chain init` makes the genesis and the keys (0600) for each
// replica and for the ledger, registered in genesis; the replica program reads its settings
// from the environment and refuses a missing or malformed variable, naming it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../infra/local/gateway';
import { publicKeyOf } from '../../src/chain/crypto';
import { genesisProblems } from '../../src/chain/genesis';
import { initCluster, loadCluster, readKeyFile } from '../../src/runtime/cluster-config';
import { settingsFromEnv } from '../../src/runtime/settings';
import { byzantineSettingsFromEnv } from './byzantine-replica';

const work = mkdtempSync(join(tmpdir(), 'cinema-chain-config-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cinema = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/cinema.mjs'), 'chain', ...args], { encoding: 'utf8', cwd: ROOT });

describe('cinema chain init', () => {
  it('makes a genesis and secret keys for every replica and for the ledger, whose key genesis registers', () => {
    const dir = join(work, 'dev');
    const run = cinema('init', '--dir', dir, '--replicas', '7', '--base-port', '5006', '--name', 'cinema-test');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Cluster "cinema-test": 7 replicas \(f = 2\)/);
    expect(run.stdout).toMatch(/ledger key .*ledger\.key/);
    const genesis = JSON.parse(readFileSync(join(dir, 'genesis.json'), 'utf8'));
    expect(genesisProblems(genesis)).toEqual([]);
    expect(genesis.replicas.map((r: { address: string }) => r.address)).toEqual(Array.from({ length: 7 }, (_, i) => `http://127.0.0.1:${5006 + i}`));
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    for (let id = 0; id < 7; id++) {
      const file = join(dir, 'keys', `replica-${id}.key`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(publicKeyOf(readKeyFile(file))).toBe(genesis.replicas[id].publicKey);
    }
    const ledgerKey = readKeyFile(join(dir, 'keys', 'ledger.key'));
    expect(ledgerKey).toMatch(/^[0-9a-f]{64}$/); // what the ledger functions read as LEDGER_SIGNING_KEY
    expect(statSync(join(dir, 'keys', 'ledger.key')).mode & 0o777).toBe(0o600);
    expect(genesis.submitters).toEqual([{ name: 'ledger', publicKey: publicKeyOf(ledgerKey) }]);
    // init names the key files and prints no secret
    for (const key of [ledgerKey, ...Array.from({ length: 7 }, (_, id) => readKeyFile(join(dir, 'keys', `replica-${id}.key`)))]) expect(run.stdout).not.toContain(key);
    // the keys as .env lines, for Compose
    const env = cinema('env', '--dir', dir);
    expect(env.status).toBe(0);
    expect(env.stdout).toContain(`LEDGER_SIGNING_KEY=${ledgerKey}`);
    expect(env.stdout).toContain(`CHAIN_REPLICA_6_KEY=${readKeyFile(join(dir, 'keys', 'replica-6.key'))}`);
  });

  it('will not replace a cluster unless told to, and refuses nonsense', () => {
    const dir = join(work, 'kept');
    expect(cinema('init', '--dir', dir).status).toBe(0);
    const first = readFileSync(join(dir, 'genesis.json'), 'utf8');
    const again = cinema('init', '--dir', dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force/);
    expect(readFileSync(join(dir, 'genesis.json'), 'utf8')).toBe(first);
    expect(cinema('init', '--dir', dir, '--force').status).toBe(0);
    expect(readFileSync(join(dir, 'genesis.json'), 'utf8')).not.toBe(first);
    expect(cinema('init', '--dir', join(work, 'x'), '--replicas', 'many').stderr).toMatch(/--replicas must be a number/);
    // a key file that does not match genesis is found out
    writeFileSync(join(dir, 'keys', 'replica-2.key'), readFileSync(join(dir, 'keys', 'replica-1.key')));
    expect(() => loadCluster(dir)).toThrow(/replica-2.key is not the key genesis lists for replica 2/);
  });
});

describe('the replica program\'s settings', () => {
  const files = initCluster({ dir: join(work, 'settings'), addresses: ['http://127.0.0.1:7000', 'http://127.0.0.1:7001', 'http://127.0.0.1:7002', 'http://127.0.0.1:7003'] });
  const base = { REPLICA_ID: '2', CHAIN_GENESIS_FILE: files.genesisFile, REPLICA_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/chain_replica_2' };

  it('reads its id, genesis, key (next to the genesis by default), database, port and peers', () => {
    const s = settingsFromEnv(base);
    expect(s).toMatchObject({ id: 2, port: 7002, host: '127.0.0.1', secretKey: readKeyFile(files.replicaKeyFiles[2]), databaseUrl: base.REPLICA_DATABASE_URL });
    expect(s.peerUrls).toEqual(files.genesis.replicas.map((r) => r.address));
    expect(s.timing.maxInFlight).toBe(1);
    const tunedEnv = { ...base, PORT: '9000', REPLICA_PEERS: 'http://a:1,http://b:2,http://c:3,http://d:4', REPLICA_MAX_BATCH: '16', REPLICA_BYZANTINE: 'equivocator' };
    const tuned = settingsFromEnv(tunedEnv);
    expect(tuned).toMatchObject({ port: 9000, peerUrls: ['http://a:1', 'http://b:2', 'http://c:3', 'http://d:4'], timing: { maxBatch: 16 } });
    // the program has no Byzantine modes: only the test clusters' entry reads REPLICA_BYZANTINE
    expect(tuned).not.toHaveProperty('byzantine');
    expect(byzantineSettingsFromEnv(tunedEnv)).toEqual({ ...tuned, byzantine: 'equivocator' });
  });

  it('fails at once on a missing or malformed variable, naming it', () => {
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ REPLICA_ID: undefined }, /REPLICA_ID/],
      [{ REPLICA_ID: '9' }, /REPLICA_ID: the genesis has replicas 0–3/],
      [{ CHAIN_GENESIS_FILE: undefined }, /CHAIN_GENESIS_FILE: required/],
      [{ CHAIN_GENESIS_FILE: join(work, 'none.json') }, /CHAIN_GENESIS_FILE: .* does not exist/],
      [{ CHAIN_GENESIS_FILE: undefined, CHAIN_GENESIS: '{"replicas": []}' }, /CHAIN_GENESIS: not a genesis/],
      [{ REPLICA_KEY: 'nope' }, /REPLICA_KEY: must be 64 lower-case hex/],
      [{ REPLICA_KEY: readKeyFile(files.replicaKeyFiles[1]) }, /REPLICA_KEY: not the key genesis lists for replica 2/],
      [{ REPLICA_DATABASE_URL: undefined }, /REPLICA_DATABASE_URL: required/],
      [{ REPLICA_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' }, /must name the replica's own database/],
      [{ REPLICA_PEERS: 'http://a:1' }, /REPLICA_PEERS: 1 URLs for 4 replicas/],
      [{ REPLICA_BATCH_DELAY_MS: '-1' }, /REPLICA_BATCH_DELAY_MS/],
    ];
    for (const [change, message] of cases) {
      const env: Record<string, string | undefined> = { ...base, ...change };
      for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
      expect(() => settingsFromEnv(env as NodeJS.ProcessEnv), JSON.stringify(change)).toThrow(message);
    }
    // the Byzantine test entry refuses a mode it does not know, and needs one
    for (const mode of ['sneaky', undefined]) expect(() => byzantineSettingsFromEnv({ ...base, REPLICA_BYZANTINE: mode }), String(mode)).toThrow(/REPLICA_BYZANTINE/);
  });
});
