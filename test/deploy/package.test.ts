// What `serverless package --stage aws` produces, read from the CloudFormation template it
// writes: every function and route, the consumers' event sources for each transport, the
// outbox relays, IAM scoped to what each function does, and no secret anywhere. Packaging
// runs with no AWS credentials and no AWS configuration at all, as on a fresh CI machine.
// Then the SQS stage's package itself runs as Lambda would run it, on Node 22, behind
// stand-ins for the HTTP API, the Lambda API, SQS and EventBridge: a purchase end to end.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { load as parseYaml } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/local/gateway';
import { CONSUMER_QUEUES, cinemaTopology, consumerFunction } from '../../layers/contracts/consumers';
import { PUBLISHING_DOMAINS } from '../../layers/contracts/events';
import { generateEventKeySettings, publicKeySetting, signingKeySetting } from '../../layers/contracts/event-keys';
import { deadLetterQueueName, maxAttempts, queueName } from '../../layers/events/topology';
import { sqsQueueName } from '../../layers/events/wire';
import { registerUser } from '../../functions/auth/users';
import { LAYOUT } from '../support/flow';
import { httpRoutes } from '../support/routes';
import { createTestDatabases, eventually, WEBHOOK_SECRET, type TestDatabases } from '../support/stack';
import { startPackagedStage, type PackagedStage } from './aws-stand-ins';
import { NODE22 } from './lambda-sandbox';

type Resource = { Type: string; Properties: any; DependsOn?: unknown };
type Template = { Resources: Record<string, Resource> };

const work = mkdtempSync(join(tmpdir(), 'cinema-package-'));
// serverless-esbuild always assembles the zip in the service's own .serverless/ (whatever
// --package says): packages run one after the other, and that folder goes if we made it.
const serverlessFolder = join(ROOT, '.serverless');
const hadServerlessFolder = existsSync(serverlessFolder);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (!hadServerlessFolder) rmSync(serverlessFolder, { recursive: true, force: true });
});

// Values a developer's shell might hold; none may reach a deployed template.
const LOCAL_SECRETS = {
  JWT_SECRET: 'local-jwt-secret-that-must-not-ship-0123456789',
  PAYMENT_WEBHOOK_SECRET: 'whsec_local_secret_that_must_not_ship_0123',
  DATABASE_URL: 'postgres://cinema:local-db-password@127.0.0.1:5432/postgres',
  RABBITMQ_URL: 'amqp://cinema:local-mq-password@127.0.0.1:5672',
};

/** The environment of a machine that has never seen AWS: no keys, no profile, no config files, no instance metadata. */
function credentialFreeEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^AWS_/.test(name)) env[name] = value;
  return {
    ...env,
    ...LOCAL_SECRETS,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    ...extra,
  };
}

function serverless(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/serverless/bin/serverless.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** The names of the files in a zip archive, from its central directory. */
function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

async function packageStage(name: string, params: string[]): Promise<{ template: Template; text: string; state: string; out: string; files: string[] }> {
  const dir = join(work, name);
  const args = ['package', '--stage', 'aws', '--package', join(dir, 'out'), ...params.flatMap((p) => ['--param', p])];
  const run = await serverless(args, credentialFreeEnv(dir, { ESBUILD_WORK_FOLDER: join(dir, 'esbuild') }));
  if (run.code !== 0) throw new Error(`serverless ${args.join(' ')} failed (${run.code}):\n${run.output.slice(-4000)}`);
  const text = readFileSync(join(dir, 'out', 'cloudformation-template-update-stack.json'), 'utf8');
  const zips = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.zip'));
  const files = zips.flatMap((z) => zipEntries(readFileSync(join(dir, 'out', z))));
  return { template: JSON.parse(text), text, state: readFileSync(join(dir, 'out', 'serverless-state.json'), 'utf8'), out: join(dir, 'out'), files };
}

const BROKER_ARN = 'arn:aws:mq:eu-west-1:123456789012:broker:cinema:b-0f2c3d4e-1111-2222-3333-444455556666';
const BROKER_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cinema-mq-AbCdEf';

let sqs: Awaited<ReturnType<typeof packageStage>>;
let rabbit: Awaited<ReturnType<typeof packageStage>>;
beforeAll(async () => {
  sqs = await packageStage('sqs', []);
  rabbit = await packageStage('rabbitmq', ['transport=rabbitmq', `brokerArn=${BROKER_ARN}`, `brokerSecretArn=${BROKER_SECRET_ARN}`]);
}, 480_000); // two packagings of every function; a shared machine can take minutes

const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const logicalIdOf = (fn: string) => `${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`;

// Every function the functions.yml files of the domains declare, and every consumer of the registry.
function declaredFunctions(): string[] {
  const root = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');
  const files = [...root.matchAll(/\$\{file\((functions\/[^)]+)\)\}/g)].map((m) => m[1]);
  return [...files.flatMap((file) => Object.keys(parseYaml(readFileSync(join(ROOT, file), 'utf8')) as object)), ...CONSUMER_QUEUES.map(consumerFunction)];
}

/** Each consumer queue of the registry and the function serverless deploys for it. */
const consumers = CONSUMER_QUEUES.map((queue) => [queue, consumerFunction(queue)] as const);

/** Every IAM statement in the template: the roles' inline policies and standalone policies, with the role they belong to. */
function iamStatements(t: Template): { role: string; Action: string[]; Resource: unknown[] }[] {
  const out: { role: string; Action: string[]; Resource: unknown[] }[] = [];
  const add = (role: string, doc: any) => {
    for (const s of doc.Statement) out.push({ role, Action: [s.Action].flat(), Resource: [s.Resource].flat() });
  };
  for (const [id, r] of ofType(t, 'AWS::IAM::Role')) for (const p of r.Properties.Policies ?? []) add(id, p.PolicyDocument);
  for (const [, r] of ofType(t, 'AWS::IAM::Policy')) for (const role of r.Properties.Roles) add(role.Ref, r.Properties.PolicyDocument);
  return out;
}

describe('serverless package --stage aws', () => {
  it('declares every function on a supported Node.js runtime, and every route with its authorizer', () => {
    for (const { template } of [sqs, rabbit]) {
      const functions = Object.fromEntries(ofType(template, 'AWS::Lambda::Function'));
      for (const fn of declaredFunctions()) {
        expect(functions[logicalIdOf(fn)]?.Properties.FunctionName, fn).toBe(`cinema-aws-${fn}`);
      }
      for (const [, f] of Object.entries(functions)) expect(f.Properties.Runtime).toMatch(/^nodejs2[24]\.x$/);

      const routes = Object.fromEntries(ofType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r.Properties]));
      const declared = httpRoutes();
      expect(declared.length).toBeGreaterThan(30);
      for (const route of declared) {
        const found = routes[`${route.method} ${route.path}`];
        expect(found, `${route.method} ${route.path}`).toBeDefined();
        expect(found.AuthorizationType ?? 'NONE', `${route.method} ${route.path}`).toBe(route.protected ? 'CUSTOM' : 'NONE');
      }
      // and the catch-all: a path that is no route answers our JSON 404 (functions/web/http/not-found.ts)
      expect(routes.$default?.Target, '$default').toBeDefined();
      expect(Object.keys(routes).length).toBe(declared.length + 1);
    }
  });

  it('SQS transport: a queue and a DLQ per consumer of the topology, redrive after its attempts, consumers reporting batch item failures', () => {
    const t = sqs.template;
    const topology = cinemaTopology({ prefix: 'cinema-aws-' });
    const queues = Object.fromEntries(ofType(t, 'AWS::SQS::Queue').map(([id, r]) => [r.Properties.QueueName, { id, ...r.Properties }]));
    expect(Object.keys(queues).length).toBe(2 * CONSUMER_QUEUES.length);
    const functionTimeout = 15;
    for (const name of CONSUMER_QUEUES) {
      // the names the SQS adapter (the relay's publisher) computes
      const queue = queues[sqsQueueName(queueName(topology, name))];
      const dlq = queues[sqsQueueName(deadLetterQueueName(queueName(topology, name)))];
      expect(queue, name).toBeDefined();
      expect(dlq, `${name} DLQ`).toBeDefined();
      expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] }, maxReceiveCount: maxAttempts(topology) });
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * functionTimeout);
      expect(dlq.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    }

    const mappings = ofType(t, 'AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
    expect(mappings.length).toBe(consumers.length);
    for (const [name, fn] of consumers) {
      const queueId = queues[sqsQueueName(queueName(topology, name))].id;
      const mapping = mappings.find((m) => m.FunctionName['Fn::GetAtt'][0] === logicalIdOf(fn));
      expect(mapping, fn).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 });
    }
  });

  it('RabbitMQ transport: the consumers read their queues on the Amazon MQ broker given as a parameter; no SQS queue', () => {
    const t = rabbit.template;
    expect(ofType(t, 'AWS::SQS::Queue')).toEqual([]);
    const mappings = ofType(t, 'AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties);
    expect(mappings.length).toBe(consumers.length);
    for (const [name, fn] of consumers) {
      const mapping = mappings.find((m) => m.FunctionName['Fn::GetAtt'][0] === logicalIdOf(fn));
      expect(mapping, fn).toMatchObject({ EventSourceArn: BROKER_ARN, Queues: [`cinema-aws-${name}`], SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: BROKER_SECRET_ARN }] });
    }
  });

  it('relays each publishing domain\'s outbox with a function run every minute under its own role', () => {
    for (const { template } of [sqs, rabbit]) {
      const rules = ofType(template, 'AWS::Events::Rule').map(([, r]) => r.Properties);
      for (const domain of PUBLISHING_DOMAINS) {
        const id = logicalIdOf(`${domain}OutboxRelay`);
        const fn = template.Resources[id];
        expect(fn.Properties).toMatchObject({ Handler: 'infra/aws/outbox-relay.handler', Role: { 'Fn::GetAtt': ['OutboxRelayRole', 'Arn'] } });
        expect(fn.Properties.Environment.Variables.RELAY_DOMAIN).toBe(domain);
        expect(rules.find((r) => r.Targets[0].Arn['Fn::GetAtt'][0] === id)).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
      }
    }
    const env = rabbit.template.Resources.CatalogOutboxRelayLambdaFunction.Properties.Environment.Variables;
    expect(env).toMatchObject({ EVENT_TRANSPORT: 'rabbitmq', RABBITMQ_URL: '{{resolve:secretsmanager:cinema/aws:SecretString:RABBITMQ_URL}}' });
    expect(sqs.template.Resources.CatalogOutboxRelayLambdaFunction.Properties.Environment.Variables).toMatchObject({ EVENT_TRANSPORT: 'sqs', EVENT_NAME_PREFIX: 'cinema-aws-' });
  });

  it('grants each role only what its functions do', () => {
    for (const { template } of [sqs, rabbit]) {
      const statements = iamStatements(template);
      for (const s of statements) {
        // no wildcard action; a `*` resource only where AWS allows no other (VPC network interfaces for Amazon MQ)
        expect(s.Action.every((a) => /^[a-z0-9-]+:[A-Za-z]+$/.test(a)), JSON.stringify(s.Action)).toBe(true);
        if (s.Resource.includes('*')) expect(s.Action.every((a) => a.startsWith('ec2:') && /NetworkInterface|Describe/.test(a))).toBe(true);
      }
      const invoke = statements.filter((s) => s.Action.includes('lambda:InvokeFunction'));
      expect(invoke.length).toBe(1);
      expect(JSON.stringify(invoke[0].Resource)).toMatch(/:function:cinema-aws-checkoutForPayment'?"/);
      // only the relays send events
      const senders = statements.filter((s) => s.Action.includes('sqs:SendMessage'));
      expect(senders.every((s) => s.role === 'OutboxRelayRole')).toBe(true);
      // the relays' role does nothing but write their logs and send
      const relay = statements.filter((s) => s.role === 'OutboxRelayRole').flatMap((s) => s.Action);
      expect(relay.every((a) => ['logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage', 'sqs:GetQueueUrl'].includes(a))).toBe(true);
    }
    // SQS: the relays may send to the consumer queues (not the DLQs); consumers may read their own queue only
    const sqsStatements = iamStatements(sqs.template);
    const sendTo = sqsStatements.filter((s) => s.Action.includes('sqs:SendMessage')).flatMap((s) => s.Resource.map((r: any) => r['Fn::GetAtt'][0]));
    expect(sendTo.sort()).toEqual(CONSUMER_QUEUES.map((q) => q.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()) + 'Queue').sort());
    const readFrom = sqsStatements.filter((s) => s.Action.includes('sqs:ReceiveMessage')).flatMap((s) => s.Resource.map((r: any) => r['Fn::GetAtt'][0]));
    expect(readFrom.sort()).toEqual(['AuthMailsQueue', 'BookingPaymentSucceededQueue', 'BookingShowtimesQueue', 'CatalogSeatMapQueue', 'LedgerRecorderQueue', 'PaymentRefundsQueue']);
    // RabbitMQ: the broker's secret and nothing else in Secrets Manager
    const secretReads = iamStatements(rabbit.template).filter((s) => s.Action.includes('secretsmanager:GetSecretValue'));
    expect(new Set(secretReads.flatMap((s) => s.Resource))).toEqual(new Set([BROKER_SECRET_ARN]));
  });

  it('holds no secret: settings from parameters, secrets as references CloudFormation resolves at deploy time', () => {
    for (const { template, text, state } of [sqs, rabbit]) {
      for (const value of Object.values(LOCAL_SECRETS)) {
        expect(text).not.toContain(value);
        expect(state).not.toContain(value);
      }
      // no URL with a password in it
      expect(text).not.toMatch(/[a-z]+:\/\/[^/\s:"@]+:[^@\s"{]+@/);
      for (const [id, fn] of ofType(template, 'AWS::Lambda::Function')) {
        const env = fn.Properties.Environment.Variables;
        for (const key of ['DATABASE_URL', 'JWT_SECRET', 'PAYMENT_WEBHOOK_SECRET', 'TICKET_KEYS']) {
          expect(env[key], `${id} ${key}`).toBe(`{{resolve:secretsmanager:cinema/aws:SecretString:${key}}}`);
        }
        expect(env.SCRYPT_COST).toBe('131072');
        expect(env.LAMBDA_ENDPOINT).toBe('');
        expect(env.PAYMENT_WEBHOOK_URL['Fn::Join'][1]).toContainEqual({ Ref: 'HttpApi' });
        // only the ledger's functions hold its signing key
        if (id.startsWith('LedgerRecorder')) expect(env.LEDGER_SIGNING_KEY).toBe('{{resolve:secretsmanager:cinema/aws:SecretString:LEDGER_SIGNING_KEY}}');
        else expect(env.LEDGER_SIGNING_KEY, id).toBeUndefined();
        // a domain's event signing key reaches its outbox relay and no other function; its public key every function
        for (const domain of PUBLISHING_DOMAINS) {
          const signing = signingKeySetting(domain);
          if (id === `${domain[0].toUpperCase()}${domain.slice(1)}OutboxRelayLambdaFunction`) expect(env[signing], id).toBe(`{{resolve:secretsmanager:cinema/aws:SecretString:${signing}}}`);
          else expect(env[signing], `${id} ${signing}`).toBeUndefined();
          if (env.SERVICE_NAME) expect(env[publicKeySetting(domain)], id).toBe(`{{resolve:secretsmanager:cinema/aws:SecretString:${publicKeySetting(domain)}}}`);
        }
      }
    }
  });

  it('serves the web app from the stage itself: its routes on the HTTP API, its built files in the package, no dev mailbox', () => {
    for (const { template, files } of [sqs, rabbit]) {
      const routes = ofType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
      const integrations = Object.fromEntries(ofType(template, 'AWS::ApiGatewayV2::Integration'));
      for (const key of ['GET /', 'GET /assets/{file+}', 'GET /test-provider/pay/{sessionId}']) {
        const route = routes.find((r) => r.RouteKey === key);
        expect(route, key).toBeDefined();
        expect(route.AuthorizationType ?? 'NONE', key).toBe('NONE');
        const integration = integrations[route.Target['Fn::Join'][1][1].Ref];
        expect(JSON.stringify(integration.Properties.IntegrationUri), key).toContain('WebAppLambdaFunction');
      }
      expect(files).toContain('web/dist/index.html');
      expect(files).toContain('web/dist/test-provider.html');
      expect(files.some((f) => /^web\/dist\/assets\/app-[A-Z0-9]{8}\.js$/.test(f)), files.filter((f) => f.startsWith('web/')).join(', ')).toBe(true);
      const webApp = template.Resources.WebAppLambdaFunction.Properties;
      expect(webApp.Environment.Variables.WEB_DIST_DIR).toBe('web/dist');
      // the dev mailbox shows anyone's reset tokens: never on a deployed stage
      for (const [id, fn] of ofType(template, 'AWS::Lambda::Function')) {
        if (fn.Properties.Environment.Variables.SERVICE_NAME) expect(fn.Properties.Environment.Variables.DEV_MAILBOX, id).toBe('off');
      }
    }
  });

  it('refuses to package the RabbitMQ transport without its broker parameters', async () => {
    const dir = join(work, 'no-broker');
    const run = await serverless(['package', '--stage', 'aws', '--param', 'transport=rabbitmq', '--package', join(dir, 'out')], credentialFreeEnv(dir, { ESBUILD_WORK_FOLDER: join(dir, 'esbuild') }));
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/catalogSeatMap\.events\.0\.rabbitmq\.arn": Value not found at "param" source/);
    expect(run.output).toMatch(/rabbitmq\.basicAuthArn": Value not found at "param" source/);
  });
});

/** A dev cluster's genesis and the ledger's key, as `cinema chain init` makes them (its replicas are not run here). */
async function devCluster(dir: string): Promise<{ genesis: string; nodes: string; ledgerKey: string }> {
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, 'bin/cinema.mjs'), 'chain', 'init', '--dir', dir, '--base-port', '9'], (err) => (err ? reject(err) : resolve())),
  );
  const genesis = readFileSync(join(dir, 'genesis.json'), 'utf8');
  const nodes = (JSON.parse(genesis).replicas as { address: string }[]).map((r) => r.address).join(',');
  return { genesis, nodes, ledgerKey: readFileSync(join(dir, 'keys/ledger.key'), 'utf8').trim() };
}

describe('the packaged SQS stage, run as Lambda would run it', () => {
  let db: TestDatabases;
  let stage: PackagedStage;
  beforeAll(async () => {
    const [made, cluster] = await Promise.allSettled([createTestDatabases(), devCluster(join(work, 'chain'))]);
    if (made.status === 'fulfilled') db = made.value;
    if (made.status === 'rejected') throw made.reason;
    if (cluster.status === 'rejected') throw cluster.reason;
    const chain = cluster.value;
    stage = await startPackagedStage({
      packageDir: sqs.out,
      template: sqs.template,
      work: join(work, 'lambda'),
      region: 'eu-west-1',
      // the stage's Secrets Manager secret
      secrets: { DATABASE_URL: db.env.DATABASE_URL, JWT_SECRET: randomBytes(32).toString('hex'), PAYMENT_WEBHOOK_SECRET: WEBHOOK_SECRET, LEDGER_SIGNING_KEY: chain.ledgerKey, TICKET_KEYS: `1:${randomBytes(32).toString('hex')}`, ...generateEventKeySettings() },
      // --param databasePrefix=… (this file's databases), relayWindowSeconds=0 (each run one
      // drain, the schedule shortened instead), chainNodes=…, chainGenesis=…
      parameters: { DATABASE_PREFIX: db.prefix, RELAY_WINDOW_SECONDS: '0', CHAIN_NODES: chain.nodes, CHAIN_GENESIS: chain.genesis },
      schedules: { functions: PUBLISHING_DOMAINS.map((d) => `cinema-aws-${d}OutboxRelay`), everyMs: 500 },
    });
  }, 90_000);
  afterAll(async () => {
    await stage?.stop();
    await db?.drop();
  });

  it('loads every function\'s bundle on Node 22 with the environment the template gives it', async () => {
    expect(execFileSync(NODE22, ['--version'], { encoding: 'utf8' })).toMatch(/^v22\./);
    expect(new Set(stage.lambdas.all.map((s) => s.fn.runtime))).toEqual(new Set(['nodejs22.x']));
    const failed: string[] = [];
    // a few cold starts at a time
    const all = stage.lambdas.all;
    for (let i = 0; i < all.length; i += 4) {
      await Promise.all(
        all.slice(i, i + 4).map(async (s) => {
          const error = await s.start();
          if (error) failed.push(`${s.fn.name}: ${error.errorType}: ${error.errorMessage}`);
        }),
      );
    }
    expect(all.length).toBeGreaterThan(40);
    expect(failed).toEqual([]);
  }, 180_000);

  it('sells seats through the packaged handlers, the relays and the consumers', async () => {
    const api = async (method: string, path: string, opts: { body?: unknown; token?: string } = {}) => {
      const res = await fetch(stage.url + path, {
        method,
        headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    try {
      // a customer signs up and signs in
      const email = `c${randomBytes(6).toString('hex')}@example.test`;
      const password = 'correct horse battery';
      expect((await api('POST', '/auth/register', { body: { email, password, name: 'Packaged Customer' } })).status).toBe(201);
      const login = await api('POST', '/auth/login', { body: { email, password } });
      expect(login.status).toBe(200);
      const token: string = login.body.token;
      // the authorizer lets an anonymous request through with its reason; the function says 401
      const anonymous = await api('GET', '/auth/me');
      expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
      expect((await api('GET', '/auth/me', { token })).body.user).toMatchObject({ email, role: 'customer' });
      // a path that is no route: HTTP API's $default route answers our JSON 404; the document is served
      expect(await api('PUT', '/movies/a/b')).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'Route PUT /movies/a/b not found' } } });
      expect(await api('GET', '/openapi.json')).toMatchObject({ status: 200, body: { openapi: expect.stringMatching(/^3\.1\./) } });

      // an operator, made as `cinema admin create` makes one, schedules a showtime
      const operator = { email: `admin-${randomBytes(6).toString('hex')}@example.test`, password: 'operator-password' };
      await registerUser(db.pool('auth'), { ...operator, name: 'Operator', role: 'admin' }, 1024);
      const admin: string = (await api('POST', '/auth/login', { body: operator })).body.token;
      const hall = await api('POST', '/halls', { token: admin, body: { name: 'Packaged Hall', layout: LAYOUT } });
      const movie = await api('POST', '/movies', { token: admin, body: { title: 'Packaged Movie', durationMinutes: 90, releaseDate: '2026-01-01' } });
      const startsAt = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
      const showtime = await api('POST', '/showtimes', { token: admin, body: { movieId: movie.body.movie.id, hallId: hall.body.hall.id, startsAt } });
      expect([hall.status, movie.status, showtime.status]).toEqual([201, 201, 201]);
      const showtimeId: string = showtime.body.showtime.id;

      // showtime.scheduled: catalog's relay → SQS → bookingShowtimes
      await eventually(async () => ((await db.pool('booking').query('SELECT 1 FROM showtimes WHERE id = $1', [showtimeId])).rowCount ? true : undefined), 30_000, 'booking to hear of the showtime');

      // hold, check out, start a payment (payment asks booking through the Lambda API), pay
      const hold = await api('POST', '/cart/holds', { token, body: { showtimeId, seats: ['A1', 'C2'] } });
      expect(hold).toMatchObject({ status: 201, body: { cart: { total: 2500 } } });
      const checkout = await api('POST', '/cart/checkout', { token, body: { showtimeId } });
      expect(checkout).toMatchObject({ status: 201, body: { checkout: { amount: 2500, seats: ['A1', 'C2'], status: 'open' } } });
      const payment = await api('POST', '/payments', { token, body: { checkoutId: checkout.body.checkout.id } });
      expect(payment).toMatchObject({ status: 201, body: { payment: { status: 'pending', amount: 2500 } } });
      expect(stage.lambdas.get('cinema-aws-checkoutForPayment').invocations).toBe(1);
      // the test provider confirms by the signed webhook, on the stage's own webhook route
      const pay = await api('POST', payment.body.nextAction.url, { body: { cardNumber: '4242424242424242' } });
      expect(pay).toMatchObject({ status: 200, body: { outcome: 'succeeded', webhookStatus: 200 } });
      expect(stage.lambdas.get('cinema-aws-providerWebhook').invocations).toBe(1);

      // payment.success → bookingPaymentSucceeded → a confirmed booking, as the customer sees it
      const booking = await eventually(async () => (await api('GET', '/bookings', { token })).body.items?.[0], 30_000, 'the booking');
      expect(booking).toMatchObject({ status: 'confirmed', seats: ['A1', 'C2'], amount: 2500, paymentId: payment.body.payment.id });
      expect((await api('GET', `/bookings/${booking.id}`, { token })).body.booking).toMatchObject({ id: booking.id, status: 'confirmed' });

      // booking.confirmed → catalogSeatMap: the seat map shows the seats sold
      const map = await eventually(async () => {
        const res = await api('GET', `/showtimes/${showtimeId}/seats`);
        return res.body.seatMap?.counts?.sold === 2 ? res.body.seatMap : undefined;
      }, 30_000, 'the seat map to show the seats sold');
      const statusOf = (id: string) => map.rows.flatMap((r: any) => r.cells).find((c: any) => c?.seatId === id).status;
      expect([statusOf('A1'), statusOf('C2'), statusOf('A2')]).toEqual(['sold', 'sold', 'available']);

      // ledgerRecorder: both facts recorded, waiting for the chain
      const facts = await eventually(async () => {
        const { rows } = await db.pool('ledger').query('SELECT event_type, status FROM ledger_entries ORDER BY event_type');
        return rows.length === 2 ? rows : undefined;
      }, 30_000, 'the ledger to record the payment and the booking');
      expect(facts).toEqual([{ event_type: 'booking.confirmed', status: 'pending' }, { event_type: 'payment.success', status: 'pending' }]);

      // every event went through the relays and SQS: nothing failed, nothing left, no DLQ holds anything
      // (a relay's answer may come a moment after the event it sent was consumed)
      const drained = () => Object.fromEntries([...stage.schedules.results].map(([fn, answers]) => [fn, answers.reduce((n: number, a: any) => n + a.drained, 0)]));
      const relayed = { 'cinema-aws-catalogOutboxRelay': 1, 'cinema-aws-bookingOutboxRelay': 1, 'cinema-aws-paymentOutboxRelay': 1 };
      await eventually(async () => (JSON.stringify(drained()) === JSON.stringify(relayed) ? true : undefined), 10_000, 'the relays to answer').catch(() => undefined);
      expect(drained()).toEqual(relayed);
      expect([...stage.pollers.failures, ...stage.schedules.failures]).toEqual([]);
      // the consumers the test did not wait for (the mails) may still hold a message: give them a moment
      const leftInQueues = async () => {
        const left: Record<string, [number, number]> = {};
        for (const queue of stage.queues.values()) {
          const { Attributes } = await stage.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
          const counts: [number, number] = [Number(Attributes?.ApproximateNumberOfMessages), Number(Attributes?.ApproximateNumberOfMessagesNotVisible)];
          if (counts[0] || counts[1]) left[queue.name] = counts;
        }
        return left;
      };
      await eventually(async () => (Object.keys(await leftInQueues()).length ? undefined : true), 15_000, 'the queues to drain').catch(() => undefined);
      expect(await leftInQueues()).toEqual({});
      expect([...stage.pollers.failures, ...stage.schedules.failures]).toEqual([]);
    } catch (err) {
      (err as Error).message += `\n\nwhat the functions logged:\n${stage.lambdas.logs()}`;
      throw err;
    }
  }, 120_000);
});

describe('the localstack stage', () => {
  it('sends the CLI\'s AWS calls to AWS_ENDPOINT_URL (LocalStack), with LocalStack\'s test credentials', async () => {
    const calls: { body: string; authorization: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        calls.push({ body, authorization: String(req.headers.authorization) });
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end('<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id cinema-localstack does not exist</Message></Error></ErrorResponse>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const dir = join(work, 'localstack');
      const run = await serverless(
        ['info', '--stage', 'localstack'],
        credentialFreeEnv(dir, { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }),
      );
      expect(run.output).toContain('cinema-localstack does not exist');
      expect(calls[0].body).toContain('Action=DescribeStacks');
      expect(calls[0].body).toContain('StackName=cinema-localstack');
      expect(calls[0].authorization).toContain('Credential=test/');
    } finally {
      server.close();
    }
  });
});
