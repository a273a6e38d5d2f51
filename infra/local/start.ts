// `npm start`: the whole platform on this machine. PostgreSQL from DATABASE_URL or
// localhost, else embedded; the per-domain databases, migrated; demo data when empty; the
// API gateway and Lambda endpoint; the event runner on RabbitMQ, else on SQS over an
// embedded endpoint. Ctrl-C stops everything it started.
import { mkdirSync, writeFileSync, readFileSync, existsSync, createWriteStream, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { databaseUrl, DEFAULT_DATABASE_URL } from '../../layers/core/db';
import { findOrStartPostgres, prepareDatabases, redact } from './postgres';
import { startGateway, ROOT, type Gateway } from './gateway';
import { catalogIsEmpty, seedDemo, DEMO_ADMIN, DEMO_CUSTOMER } from './seed';
import { startEventRunner } from './runner';
import { cinemaTopology } from '../../layers/contracts/consumers';
import { chooseLocalTransport, type LocalTransport } from './transport';
import { startLocalCluster, type LocalCluster } from './chain';
import { ensureCluster, readKeyFile } from '../../blockchain-nodes/protocol';
import { createChainClient } from '../../layers/chain/client';
import { buildWebApp } from '../../web/build';
import { generateEventKeySettings, publicKeySettings } from '../../layers/contracts/event-keys';

const say = (msg: string) => console.log(`[cinema] ${msg}`);

export interface LocalState {
  databaseUrl: string;
  databasePrefix: string;
  gateway: string;
  lambda: string;
  embeddedPostgres: boolean;
  events: Record<string, string>;
  /** The chain replicas, as the ledger reads them (LEDGER_SIGNING_KEY is a secret: this file is 0600). */
  chain: { CHAIN_NODES: string; CHAIN_GENESIS_FILE: string; LEDGER_SIGNING_KEY: string };
  pid: number;
}

/** Ports of a new dev cluster: CHAIN_PORTS (comma-separated), else 4006–4009. An existing genesis keeps its own. */
function chainAddresses(): string[] {
  const ports = (process.env.CHAIN_PORTS ?? '4006,4007,4008,4009').split(',').map((p) => Number(p.trim()));
  if (ports.length < 1 || ports.some((p) => !Number.isSafeInteger(p) || p < 1 || p > 65_535)) throw new Error('CHAIN_PORTS must be comma-separated port numbers');
  return ports.map((p) => `http://127.0.0.1:${p}`);
}

export const dataDir = () => resolve(ROOT, process.env.CINEMA_DATA_DIR ?? '.data');

/**
 * Secrets made once per data folder, so tokens survive a restart: the token and webhook
 * secrets, and the dev keys the domains sign their events with (EVENT_SIGNING_KEY_<DOMAIN>,
 * EVENT_PUBLIC_KEY_<DOMAIN>), which exist only here, never in a deployed stage's settings.
 */
function localSecrets(dir: string): { jwtSecret: string; webhookSecret: string; eventKeys: Record<string, string> } {
  const file = join(dir, 'secrets.json');
  const kept = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (kept.jwtSecret && kept.webhookSecret && kept.eventKeys) return kept;
  const secrets = { jwtSecret: randomBytes(32).toString('hex'), webhookSecret: `whsec_${randomBytes(24).toString('hex')}`, eventKeys: generateEventKeySettings(), ...kept };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

async function main() {
  if (existsSync(join(ROOT, '.env'))) process.loadEnvFile(join(ROOT, '.env'));
  const started = Date.now();
  const dir = dataDir();
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const prefix = process.env.DATABASE_PREFIX ?? 'cinema';
  const httpPort = Number(process.env.PORT ?? 4000);
  const lambdaPort = Number(process.env.LAMBDA_PORT ?? 3002);
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(err));
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0));

  try {
    const postgres = await findOrStartPostgres({
      url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
      dataDir: join(dir, 'postgres'),
      port: Number(process.env.EMBEDDED_POSTGRES_PORT ?? 5433),
      say,
    });
    stops.push(postgres.stop);
    say(`PostgreSQL: ${redact(postgres.url)}${postgres.embedded ? ' (embedded)' : ''}`);

    // The chain's keys and genesis (made on first start) before anything runs: the gateway's
    // ledger functions are given them, so the gateway need not wait for the replicas.
    const chainFiles = ensureCluster({ dir: join(dir, 'chain'), addresses: chainAddresses(), chainName: 'cinema-dev' });
    const ledgerKeyFile = chainFiles.submitterKeyFiles.ledger;
    if (!ledgerKeyFile) throw new Error(`${chainFiles.dir} has no key for the ledger submitter`);
    const chainEnv = {
      CHAIN_NODES: chainFiles.genesis.replicas.map((r) => r.address.replace(/\/+$/, '')).join(','),
      CHAIN_GENESIS_FILE: chainFiles.genesisFile,
      LEDGER_SIGNING_KEY: readKeyFile(ledgerKeyFile),
    };

    const env = { DATABASE_URL: postgres.url, DATABASE_PREFIX: prefix };
    const { jwtSecret, webhookSecret, eventKeys } = localSecrets(dir);
    const scryptCost = Number(process.env.SCRYPT_COST ?? 2 ** 15);
    const topology = cinemaTopology({ prefix: process.env.EVENT_NAME_PREFIX ?? '' });
    const took: Record<string, number> = {};
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      try {
        return await work();
      } finally {
        took[name] = Date.now() - t0;
      }
    };

    // Four independent parts at once, each registering its stop as soon as it runs; all are
    // waited for (settled) before a failure stops them, so none is left running.
    const parts = await Promise.allSettled([
      timed('databases', async () => {
        await prepareDatabases(postgres.url, prefix);
        const pools = {
          auth: new pg.Pool({ connectionString: databaseUrl('auth', env), max: 2 }),
          catalog: new pg.Pool({ connectionString: databaseUrl('catalog', env), max: 2 }),
        };
        try {
          if (await catalogIsEmpty(pools.catalog)) {
            const seeded = await seedDemo(pools, { scryptCost });
            say(`seeded demo data: ${seeded.movies} movies, ${seeded.halls} halls, ${seeded.showtimes} showtimes`);
          }
        } finally {
          await Promise.all(Object.values(pools).map((p) => p.end()));
        }
      }),
      // the PBFT replicas, each with its database <prefix>_replica_<id>
      timed('chain', async () => {
        const cluster = await startLocalCluster({ dir: join(dir, 'chain'), serverUrl: postgres.url, databasePrefix: prefix, logDir: join(dir, 'logs') });
        stops.push(cluster.stop);
        say(`chain: ${cluster.urls.length} replicas at ${cluster.urls.join(', ')} (genesis ${cluster.files.genesisFile})`);
        return cluster;
      }),
      timed('gateway', async () => {
        // the web app's static files, which the gateway's webApp function serves at /
        const webFiles = await buildWebApp();
        say(`web app built (${webFiles.length} files in web/dist)`);
        const log = createWriteStream(join(dir, 'logs', 'gateway.log'), { flags: 'a' });
        const gateway = await startGateway({
          httpPort,
          lambdaPort,
          env: {
            ...env,
            JWT_SECRET: jwtSecret,
            SCRYPT_COST: String(scryptCost),
            PAYMENT_WEBHOOK_SECRET: webhookSecret,
            PAYMENT_WEBHOOK_URL: `http://127.0.0.1:${httpPort}/payments/webhook`,
            API_URL: `http://127.0.0.1:${httpPort}`,
            LAMBDA_ENDPOINT: `http://127.0.0.1:${lambdaPort}`,
            // the consumer functions verify events; only the runner's relays sign them
            ...publicKeySettings(eventKeys),
            ...chainEnv,
          },
          onLine: (line) => log.write(line + '\n'),
        });
        stops.push(gateway.stop);
        gateway.process.once('exit', (code) => {
          if (!stopping) {
            console.error(`[cinema] the gateway exited (${code}); see ${join(dir, 'logs', 'gateway.log')}`);
            void stopAll(1);
          }
        });
        return gateway;
      }),
      timed('events', async () => {
        const events = await chooseLocalTransport({ environment: process.env, topology, say });
        stops.push(events.stop);
        return events;
      }),
    ]);
    const failed = parts.find((p) => p.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [, cluster, gateway, events] = parts.map((p) => (p as PromiseFulfilledResult<unknown>).value) as [unknown, LocalCluster, Gateway, LocalTransport];
    const chainClient = createChainClient({ nodes: cluster.urls, genesis: cluster.files.genesis });
    stops.push(async () => chainClient.close());

    const runner = await startEventRunner({
      bus: events.bus,
      topology,
      transport: events.transport,
      lambdaEndpoint: gateway.lambdaUrl,
      functionPrefix: 'cinema-local-',
      databaseEnv: env,
      eventKeys,
      ledger: { enabled: true, chain: chainClient },
      testProvider: { webhookUrl: `http://127.0.0.1:${httpPort}/payments/webhook`, webhookSecret: webhookSecret },
    });
    stops.push(runner.stop);
    say(`events: ${events.description}`);

    const state: LocalState = { databaseUrl: postgres.url, databasePrefix: prefix, gateway: gateway.url, lambda: gateway.lambdaUrl, embeddedPostgres: postgres.embedded, events: events.env, chain: cluster.env, pid: process.pid };
    writeFileSync(join(dir, 'stack.json'), JSON.stringify(state, null, 2), { mode: 0o600 });

    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    say(`ready in ${seconds(Date.now() - started)} (at once: databases ${seconds(took.databases)}, chain ${seconds(took.chain)}, web app and gateway ${seconds(took.gateway)}, events ${seconds(took.events)})`);
    console.log(`
  Web app          ${gateway.url}/        (customers: browse, pick seats, pay, bookings)
  API gateway      ${gateway.url}        (try: curl ${gateway.url}/movies)
  Lambda endpoint  ${gateway.lambdaUrl}
  Event runner     ${events.description} (outbox relays + consumer functions)
  Chain replicas   ${cluster.urls.join(' ')}   (try: curl ${cluster.urls[0]}/status;
                   npx cinema chain verify --node ${cluster.urls[0]})
  Logs             ${join(dir, 'logs')}

  Demo admin       ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}
  Demo customer    ${DEMO_CUSTOMER.email} / ${DEMO_CUSTOMER.password}

  Ctrl-C stops everything.`);
  } catch (err) {
    console.error(`[cinema] could not start: ${(err as Error).message}`);
    await stopAll(1);
  }
}

void main();
