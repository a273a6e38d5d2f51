// The soak's own platform: databases under a prefix of its own, a 4-replica PBFT cluster,
// the gateway (serverless-offline) and the event runner on free ports — the gateway and the
// runner reaching PostgreSQL and RabbitMQ through TCP proxies the nemesis cuts. The gateway
// and the runner can be restarted on the same ports; stop() removes everything.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import amqp from 'amqplib';
import { startGateway, ROOT, type Gateway } from '../infra/local/gateway';
import { startEventRunner, type EventRunner } from '../infra/local/runner';
import { createRabbitBus, deleteTopology } from '../layers/events/rabbitmq';
import type { EventBus } from '../layers/events/bus';
import type { Topology } from '../layers/events/topology';
import { cinemaTopology } from '../layers/contracts/consumers';
import { generateEventKeySettings, publicKeySettings } from '../layers/contracts/event-keys';
import { createTestDatabases, TEST_RABBITMQ_URL, TEST_SERVER_URL, WEBHOOK_SECRET, type TestDatabases } from '../test/support/stack';
import { TcpProxy } from '../test/support/tcp-proxy';
import { freePort } from '../test/support/ports';
import { startTestCluster, type TestCluster } from '../blockchain-nodes/test/runtime/support';

/** Retries long enough to outlast a fault's window (a gateway restart is the longest), then the DLQ. */
export const SOAK_RETRY_DELAYS_MS = [1_000, 4_000, 15_000, 30_000];

export interface SoakPlatform {
  db: TestDatabases;
  cluster: TestCluster;
  url: string;
  topology: Topology;
  bus: EventBus;
  eventKeys: Record<string, string>;
  dbProxy: TcpProxy;
  brokerProxy: TcpProxy;
  /** SIGKILL the gateway, start it again on the same ports. */
  restartGateway(): Promise<void>;
  /** Stop the event runner, start it again. */
  restartRunner(): Promise<void>;
  stop(): Promise<void>;
}

const via = (url: string, proxy: TcpProxy) => {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
};

export async function startSoakPlatform(opts: { holdSeconds: number; env?: Record<string, string>; log?: (line: string) => void }): Promise<SoakPlatform> {
  const log = opts.log ?? (() => undefined);
  const db = await createTestDatabases();
  const server = new URL(TEST_SERVER_URL);
  const dbProxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
  const broker = new URL(TEST_RABBITMQ_URL);
  const brokerProxy = await TcpProxy.start({ host: broker.hostname, port: Number(broker.port || 5672) });
  const databaseEnv = { DATABASE_URL: via(TEST_SERVER_URL, dbProxy), DATABASE_PREFIX: db.prefix };
  log('starting the chain cluster');
  const cluster = await startTestCluster();
  const workFolder = join('.esbuild', db.prefix);
  const httpPort = await freePort();
  const lambdaPort = await freePort();
  const eventKeys = generateEventKeySettings();
  const gatewayEnv = {
    ...databaseEnv,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SCRYPT_COST: '1024',
    LOG_LEVEL: 'warn',
    ESBUILD_WORK_FOLDER: workFolder,
    PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    PAYMENT_WEBHOOK_URL: `http://127.0.0.1:${httpPort}/payments/webhook`,
    API_URL: `http://127.0.0.1:${httpPort}`,
    LAMBDA_ENDPOINT: `http://127.0.0.1:${lambdaPort}`,
    HOLD_SECONDS: String(opts.holdSeconds),
    // every function has pools of its own in the one gateway process: kept small, as the PostgreSQL server is shared
    DATABASE_POOL_MAX: '2',
    ...cluster.env,
    ...publicKeySettings(eventKeys),
    ...opts.env,
  };
  const gatewayAt = () => startGateway({ httpPort, lambdaPort, env: gatewayEnv });
  log('starting the gateway');
  let gateway: Gateway = await gatewayAt();
  const topology = cinemaTopology({ prefix: `${db.prefix}-`, retryDelaysMs: SOAK_RETRY_DELAYS_MS });
  const bus = createRabbitBus({ url: via(TEST_RABBITMQ_URL, brokerProxy), topology, reconnectDelayMs: { min: 100, max: 1000 } });
  const runnerAt = () =>
    startEventRunner({
      bus,
      topology,
      transport: 'rabbitmq',
      lambdaEndpoint: gateway.lambdaUrl,
      functionPrefix: 'cinema-local-',
      databaseEnv,
      eventKeys,
      relayIntervalMs: 200,
      ledger: { enabled: true, chain: cluster.client },
      testProvider: { webhookUrl: gatewayEnv.PAYMENT_WEBHOOK_URL, webhookSecret: WEBHOOK_SECRET },
    });
  let runner: EventRunner = await runnerAt();

  return {
    db,
    cluster,
    url: gateway.url,
    topology,
    bus,
    eventKeys,
    dbProxy,
    brokerProxy,
    async restartGateway() {
      try {
        process.kill(-gateway.process.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await gateway.stop();
      gateway = await gatewayAt();
    },
    async restartRunner() {
      await runner.stop();
      runner = await runnerAt();
    },
    async stop() {
      await dbProxy.up();
      await brokerProxy.up();
      await runner.stop().catch(() => undefined);
      await bus.close().catch(() => undefined);
      const conn = await amqp.connect(TEST_RABBITMQ_URL);
      const channel = await conn.createChannel();
      await deleteTopology(channel, topology).catch(() => undefined);
      await conn.close();
      await gateway.stop();
      await cluster.destroy();
      await db.drop();
      await dbProxy.close();
      await brokerProxy.close();
      rmSync(join(ROOT, workFolder), { recursive: true, force: true });
    },
  };
}

