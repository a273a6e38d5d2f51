// A test file's own platform: its own databases (a unique prefix on the local PostgreSQL)
// and its own serverless-offline gateway on free ports. stop() removes all of it.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DATABASE_URL, databaseUrl } from '../../layers/core/db';
import type { Domain } from '../../functions/domains';
import { prepareDatabases, dropDatabases } from '../../infra/local/postgres';
import { startGateway, ROOT, type Gateway } from '../../infra/local/gateway';
import { freePort } from './ports';
import pg from 'pg';
import amqp from 'amqplib';
import { createRabbitBus, deleteTopology } from '../../layers/events/rabbitmq';
import type { EventBus } from '../../layers/events/bus';
import type { Topology } from '../../layers/events/topology';
import { cinemaTopology } from '../../layers/contracts/consumers';
import { startEventRunner, type EventRunner } from '../../infra/local/runner';
import type { ChainClient } from '../../layers/chain/port';
import { generateKeyPair, defaultRules, type Genesis } from '../../blockchain-nodes/protocol';
import { tmpdir } from 'node:os';
import { writeFileSync } from 'node:fs';
import { startEmbeddedSqs, type EmbeddedSqs } from '../../infra/local/transport';
import { eventually } from './wait';
import { createSqsBus, deleteSqsTopology, localSqsClient } from '../../layers/events/sqs';
import { generateEventKeySettings, publicKeySettings, relaySigner } from '../../layers/contracts/event-keys';
import type { PublishingDomain } from '../../layers/contracts/events';
import type { Envelope } from '../../layers/events/envelope';
import { answerChecker, loadApiDocument, recordAnswerCounts } from './openapi';

export const TEST_RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** Short retries, so a poison message reaches its DLQ within a test. */
export const TEST_RETRY_DELAYS_MS = [200, 400, 800];

export const TEST_SERVER_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

export interface TestDatabases {
  prefix: string;
  env: { DATABASE_URL: string; DATABASE_PREFIX: string };
  pool(domain: Domain): pg.Pool;
  drop(): Promise<void>;
}

export async function createTestDatabases(): Promise<TestDatabases> {
  const prefix = `t_${randomBytes(5).toString('hex')}`;
  await prepareDatabases(TEST_SERVER_URL, prefix);
  const env = { DATABASE_URL: TEST_SERVER_URL, DATABASE_PREFIX: prefix };
  const pools = new Map<Domain, pg.Pool>();
  return {
    prefix,
    env,
    pool(domain) {
      let p = pools.get(domain);
      if (!p) {
        pools.set(domain, (p = new pg.Pool({ connectionString: databaseUrl(domain, env), max: 4 })));
        // dropping the databases at the end ends any connection still closing
        p.on('error', () => undefined);
      }
      return p;
    },
    async drop() {
      await Promise.all([...pools.values()].map((p) => p.end()));
      await dropDatabases(TEST_SERVER_URL, prefix);
    },
  };
}

export interface Api {
  (method: string, path: string, opts?: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
}

export interface TestStack {
  db: TestDatabases;
  gateway: Gateway;
  url: string;
  api: Api;
  /** Holds an answer to the API's description (test/support/openapi.ts), counted with the api's: for a test's own client. */
  checkAnswer(method: string, url: string, status: number, body: unknown): void;
  /** With `events`: the bus (RabbitMQ, or SQS on an endpoint of this stack's own; names prefixed for this file), its topology and the runner. */
  bus?: EventBus;
  topology?: Topology;
  runner?: EventRunner;
  /** The token signing key the gateway was given, for tests that forge or age tokens. */
  jwtSecret: string;
  /** This stack's event keys (EVENT_SIGNING_KEY_<DOMAIN>, EVENT_PUBLIC_KEY_<DOMAIN>); the functions got only the public ones. */
  eventKeys: Record<string, string>;
  /** `event` signed by its source domain's key, as that domain's relay would publish it: for tests that publish genuine events themselves. */
  signed<E extends Envelope>(event: E): E;
  stop(): Promise<void>;
}

/** A genesis naming four replicas nobody runs, and the test ledger as submitter. */
function absentClusterGenesis(prefix: string): string {
  const file = join(tmpdir(), `cinema-${prefix}-genesis.json`);
  const genesis: Genesis = {
    chainName: `absent-${prefix}`,
    createdAt: Date.now(),
    replicas: [0, 1, 2, 3].map((id) => ({ id, address: `http://127.0.0.1:9/${id}`, publicKey: generateKeyPair().publicKey })),
    submitters: [{ name: 'ledger', publicKey: LEDGER_KEY.publicKey }],
    rules: defaultRules,
  };
  writeFileSync(file, JSON.stringify(genesis));
  return file;
}

/** The ledger's signing key in test stacks; a test cluster registers its public key as a submitter. */
export const LEDGER_KEY = generateKeyPair();

export const WEBHOOK_SECRET = 'whsec_test_' + randomBytes(16).toString('hex');

/** `events: true` is RabbitMQ; `events: 'sqs'` runs the events over an embedded SQS endpoint (local-aws-sqs) of this stack's own. */
export async function startTestStack(
  extraEnv: Record<string, string> = {},
  options: { events?: boolean | 'rabbitmq' | 'sqs'; rabbitUrl?: string; chain?: ChainClient; cluster?: { nodes: string[]; genesisFile: string }; readyTimeoutMs?: number } = {},
): Promise<TestStack> {
  const db = await createTestDatabases();
  const workFolder = join('.esbuild', db.prefix);
  const httpPort = await freePort();
  const lambdaPort = await freePort();
  const jwtSecret = extraEnv.JWT_SECRET ?? randomBytes(32).toString('hex');
  const eventKeys = generateEventKeySettings();
  let gateway: Gateway;
  try {
    gateway = await startGateway({
      httpPort,
      lambdaPort,
      // a machine loaded by other work may need longer than the gateway's default (benches set it)
      readyTimeoutMs: options.readyTimeoutMs ?? (Number(process.env.TEST_GATEWAY_READY_MS) || undefined),
      env: {
        ...db.env,
        JWT_SECRET: jwtSecret,
        SCRYPT_COST: '1024',
        LOG_LEVEL: 'warn',
        ESBUILD_WORK_FOLDER: workFolder,
        PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        LEDGER_SIGNING_KEY: LEDGER_KEY.secretKey,
        // without a cluster of its own, a stack's ledger points at replicas that never answer
        CHAIN_NODES: (options.cluster?.nodes ?? (await Promise.all([0, 1, 2, 3].map(async () => `http://127.0.0.1:${await freePort()}`)))).join(','),
        CHAIN_GENESIS_FILE: options.cluster?.genesisFile ?? absentClusterGenesis(db.prefix),
        PAYMENT_WEBHOOK_URL: `http://127.0.0.1:${httpPort}/payments/webhook`,
        // the gateway's own URL: identity providers send the browser back under it
        API_URL: `http://127.0.0.1:${httpPort}`,
        LAMBDA_ENDPOINT: `http://127.0.0.1:${lambdaPort}`,
        ...publicKeySettings(eventKeys),
        ...extraEnv,
      },
    });
  } catch (err) {
    await db.drop();
    throw err;
  }
  let bus: EventBus | undefined;
  let topology: Topology | undefined;
  let runner: EventRunner | undefined;
  let sqs: EmbeddedSqs | undefined;
  const transport = options.events === 'sqs' ? 'sqs' : 'rabbitmq';
  if (options.events) {
    topology = cinemaTopology({ prefix: `${db.prefix}-`, retryDelaysMs: TEST_RETRY_DELAYS_MS });
    if (transport === 'sqs') {
      sqs = await startEmbeddedSqs(await freePort());
      bus = createSqsBus({ topology, client: localSqsClient(sqs.endpoint), emulator: 'local-aws-sqs' });
    } else {
      bus = createRabbitBus({ url: options.rabbitUrl ?? TEST_RABBITMQ_URL, topology, reconnectDelayMs: { min: 100, max: 1000 } });
    }
    runner = await startEventRunner({
      bus,
      topology,
      transport,
      lambdaEndpoint: gateway.lambdaUrl,
      functionPrefix: 'cinema-local-',
      databaseEnv: db.env,
      eventKeys,
      relayIntervalMs: 200,
      ledger: { enabled: true, chain: options.chain },
      testProvider: { webhookUrl: `http://127.0.0.1:${httpPort}/payments/webhook`, webhookSecret: WEBHOOK_SECRET },
    });
  }
  // every answer is held to the API's description (test/support/openapi.ts)
  const checkAnswer = answerChecker(loadApiDocument());
  const api: Api = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    if (opts.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(gateway.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    checkAnswer(method, path, res.status, parsed);
    return { status: res.status, body: parsed, headers: res.headers };
  };
  // a signer per domain, made once: its key is parsed when it is made (the benches sign thousands)
  const signers = new Map<PublishingDomain, ReturnType<typeof relaySigner>>();
  const signerOf = (domain: PublishingDomain) => signers.get(domain) ?? signers.set(domain, relaySigner(domain, eventKeys)).get(domain)!;
  return {
    db,
    gateway,
    url: gateway.url,
    api,
    checkAnswer,
    bus,
    topology,
    runner,
    jwtSecret,
    eventKeys,
    signed: (event) => signerOf(event.source as PublishingDomain).sign(event),
    async stop() {
      recordAnswerCounts(checkAnswer.counts());
      await runner?.stop();
      await bus?.close();
      if (topology && sqs) {
        const client = localSqsClient(sqs.endpoint);
        await deleteSqsTopology(client, topology).catch(() => undefined);
        client.destroy();
        await sqs.stop();
      } else if (topology) {
        const conn = await amqp.connect(TEST_RABBITMQ_URL);
        const channel = await conn.createChannel();
        await deleteTopology(channel, topology).catch(() => undefined);
        await conn.close();
      }
      await gateway.stop();
      await db.drop();
      rmSync(join(ROOT, workFolder), { recursive: true, force: true });
    },
  };
}

export { eventually } from './wait';

/**
 * Waits until a RabbitMQ queue holds nothing, neither ready nor being handled (unacknowledged):
 * everything that was in it has been handled. (AMQP's own count leaves out the unacknowledged.)
 */
export async function queueSettled(queue: string, ms = 20_000): Promise<void> {
  const { execFile } = await import('node:child_process');
  const inQueue = () =>
    new Promise<number>((resolve, reject) =>
      execFile('rabbitmqctl', ['-q', 'list_queues', 'name', 'messages'], { encoding: 'utf8' }, (err, out) => {
        if (err) return reject(err);
        const line = out.split('\n').find((l) => l.split('\t')[0] === queue);
        resolve(Number(line?.split('\t')[1] ?? NaN));
      }),
    );
  await eventually(async () => ((await inQueue()) === 0 ? true : undefined), ms, `${queue} drained and acknowledged`);
}

/** Registers and signs in a fresh customer. */
export async function signUp(api: Api, overrides: Partial<{ email: string; password: string; name: string }> = {}) {
  const email = overrides.email ?? `c${randomBytes(6).toString('hex')}@example.test`;
  const password = overrides.password ?? 'correct horse battery';
  const reg = await api('POST', '/auth/register', { body: { email, password, name: overrides.name ?? 'Test Customer' } });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await api('POST', '/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { email, password, token: login.body.token as string, user: login.body.user as { id: string; role: string } };
}

/** An admin account, made the way `cinema admin create` makes one, then signed in. */
export async function signUpAdmin(stack: TestStack) {
  const { registerUser } = await import('../../functions/auth/users');
  const email = `admin-${randomBytes(6).toString('hex')}@example.test`;
  const password = 'operator-password';
  await registerUser(stack.db.pool('auth'), { email, password, name: 'Operator', role: 'admin' }, 1024);
  const login = await stack.api('POST', '/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status}`);
  return { email, token: login.body.token as string };
}
