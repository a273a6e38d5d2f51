// docker-compose.yml, as Compose itself reads it: `docker-compose config` validates the file
// and prints it resolved. No Docker engine is needed (nor running here), only the CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseName } from '../../layers/core/db';
import { DOMAINS } from '../../functions/domains';
import { ROOT } from '../../infra/local/gateway';
import { initCluster, readKeyFile, settingsFromEnv } from '../../blockchain-nodes/protocol';
import { generateEventKeySettings } from '../../layers/contracts/event-keys';

const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
const SKIP_NOTE = 'docker-compose is not installed (apt-get install docker-compose); .ci/run installs it';
if (!hasCompose) console.warn(`[compose test] SKIPPED: ${SKIP_NOTE}`);

const work = mkdtempSync(join(tmpdir(), 'cinema-compose-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
// An empty env file, so a developer's .env beside the compose file does not change what is checked.
const emptyEnvFile = join(work, 'empty.env');
writeFileSync(emptyEnvFile, '');

// A chain cluster of this test's own: its genesis is mounted, its keys are secrets like the others.
const cluster = initCluster({ dir: join(work, 'chain') });
const CHAIN_SECRETS: Record<string, string> = Object.fromEntries([
  ...cluster.replicaKeyFiles.map((file, id) => [`CHAIN_REPLICA_${id}_KEY`, readKeyFile(file)]),
  ['LEDGER_SIGNING_KEY', readKeyFile(cluster.submitterKeyFiles.ledger)],
]);
const SECRETS = {
  POSTGRES_PASSWORD: 'pg-test-password',
  RABBITMQ_PASSWORD: 'mq-test-password',
  JWT_SECRET: 'j'.repeat(40),
  PAYMENT_WEBHOOK_SECRET: 'whsec_' + 'w'.repeat(40),
  ...CHAIN_SECRETS,
  ...generateEventKeySettings(),
};

function composeConfig(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!(name in SECRETS) && name !== 'LOG_LEVEL' && name !== 'CHAIN_DIR') clean[name] = value;
  const run = spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', 'docker-compose.yml', 'config'], { cwd: ROOT, env: { ...clean, CHAIN_DIR: cluster.dir, ...env }, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('docker-compose.yml', () => {
  it('passes `docker-compose config` and resolves to the platform: database, broker, four replicas, migrations, API and event runner', (ctx) => {
    if (!hasCompose) ctx.skip(SKIP_NOTE);
    const run = composeConfig(SECRETS);
    expect(run.stderr.trim() === '' || !/error/i.test(run.stderr), run.stderr).toBe(true);
    expect(run.status, run.stderr).toBe(0);
    const config = parseYaml(run.stdout) as { services: Record<string, any> };
    const services = config.services;
    expect(Object.keys(services).sort()).toEqual(['api', 'events', 'migrate', 'postgres', 'rabbitmq', 'replica-0', 'replica-1', 'replica-2', 'replica-3']);

    expect(services.rabbitmq.image).toMatch(/^rabbitmq:[\d.]+-management$/);
    expect(services.rabbitmq.ports.map((p: any) => String(p.target ?? p).replace(/\/tcp$/, ''))).toEqual(expect.arrayContaining([expect.stringMatching(/15672$/)]));
    expect(services.api.ports.map(String)).toEqual(expect.arrayContaining([expect.stringMatching(/:4000:4000/), expect.stringMatching(/:3002:3002/)]));
    expect(services.api.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(services.events.environment.LAMBDA_ENDPOINT).toBe('http://api:3002');
    expect(services.events.command.join(' ')).toContain('infra/compose/event-runner.ts');

    // four replicas of one program, each with its own id, port and database
    const databases = new Set<string>();
    for (const n of [0, 1, 2, 3]) {
      const replica = services[`replica-${n}`];
      expect(replica.command).toEqual(['node', '--import', 'tsx', 'blockchain-nodes/src/runtime/main.ts']);
      expect(replica.environment.REPLICA_ID).toBe(String(n));
      expect(replica.environment.PORT).toBe(String(4006 + n));
      expect(replica.ports.map(String)).toEqual([`127.0.0.1:${4006 + n}:${4006 + n}/tcp`]);
      databases.add(new URL(replica.environment.DATABASE_URL).pathname.slice(1));
    }
    expect(databases.size).toBe(4);

    // the replica program accepts each replica's environment as Compose resolves it: its key is
    // the one genesis lists, its peers are the other services, its database its own
    for (const n of [0, 1, 2, 3]) {
      const replica = services[`replica-${n}`];
      const mount = replica.volumes.find((v: any) => (v.target ?? String(v).split(':')[1]) === replica.environment.CHAIN_GENESIS_FILE);
      expect(mount, `replica-${n} mounts the genesis`).toBeDefined();
      expect(mount.source ?? String(mount).split(':')[0]).toBe(cluster.genesisFile);
      const settings = settingsFromEnv({ ...replica.environment, CHAIN_GENESIS_FILE: cluster.genesisFile });
      expect(settings).toMatchObject({ id: n, port: 4006 + n, host: '0.0.0.0' });
      expect(settings.peerUrls).toEqual([0, 1, 2, 3].map((k) => `http://replica-${k}:${4006 + k}`));
      expect(settings.databaseUrl).toBe(replica.environment.DATABASE_URL);
    }
    // the API's ledger functions reach the same replicas, with the same genesis and the registered ledger key
    expect(services.api.environment.CHAIN_NODES).toBe(services['replica-0'].environment.REPLICA_PEERS);
    expect(services.api.environment.LEDGER_SIGNING_KEY).toBe(CHAIN_SECRETS.LEDGER_SIGNING_KEY);
    // the event runner's relays sign; the functions hold only the public keys
    for (const domain of ['CATALOG', 'BOOKING', 'PAYMENT']) {
      expect(services.events.environment[`EVENT_SIGNING_KEY_${domain}`]).toBe(SECRETS[`EVENT_SIGNING_KEY_${domain}` as keyof typeof SECRETS]);
      expect(services.api.environment[`EVENT_SIGNING_KEY_${domain}`]).toBeUndefined();
      expect(services.api.environment[`EVENT_PUBLIC_KEY_${domain}`]).toBe(SECRETS[`EVENT_PUBLIC_KEY_${domain}` as keyof typeof SECRETS]);
      expect(services.events.environment[`EVENT_PUBLIC_KEY_${domain}`]).toBe(services.api.environment[`EVENT_PUBLIC_KEY_${domain}`]);
    }
    expect(services.api.volumes.map((v: any) => v.target ?? String(v).split(':')[1])).toContain(services.api.environment.CHAIN_GENESIS_FILE);

    // the init script creates every domain's database and every replica's
    const init = readFileSync(join(ROOT, 'infra/compose/postgres-init.sql'), 'utf8');
    const created = [...init.matchAll(/CREATE DATABASE (\w+);/g)].map((m) => m[1]);
    const prefix = services.api.environment.DATABASE_PREFIX;
    expect(created.sort()).toEqual([...DOMAINS.map((d) => databaseName(d, { DATABASE_PREFIX: prefix })), ...databases].sort());
    expect(services.postgres.volumes.map((v: any) => v.target ?? String(v).split(':')[1])).toContain('/docker-entrypoint-initdb.d/10-databases.sql');
  });

  it('holds no secret: Compose refuses to start without them, naming each', (ctx) => {
    if (!hasCompose) ctx.skip(SKIP_NOTE);
    const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    for (const missing of Object.keys(SECRETS)) {
      const env: Record<string, string> = { ...SECRETS };
      delete env[missing];
      const run = composeConfig(env);
      expect(run.status, missing).not.toBe(0);
      expect(run.stderr).toContain(`set ${missing}`);
    }
  });

  it('builds its image from a Dockerfile that installs with npm ci and leaves local state out', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20[\w.-]*$/m);
    expect(dockerfile).toMatch(/RUN npm ci/);
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.env', '.keys']));
    // and the Compose CLI, when present, reads the file's version
    if (hasCompose) expect(execFileSync('docker-compose', ['version', '--short'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+/);
  });
});
