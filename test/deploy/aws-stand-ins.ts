// What AWS does around the functions of a packaged stage, played on this machine from the
// CloudFormation template `serverless package` wrote:
// - the Lambda Invoke API (what payment calls to reach booking's checkoutForPayment);
// - the HTTP API: the template's routes, integrations and its REQUEST authorizer (payload
//   2.0, simple responses), with API Gateway's v2 event and response mapping;
// - SQS: the template's queues (redrive, visibility) on an embedded endpoint, and its event
//   source mappings: batches of records, ReportBatchItemFailures;
// - EventBridge: the template's schedules, with the minute shortened.
// The functions (lambda-sandbox.ts) reach these through the SDK's own endpoint variables
// (AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_LAMBDA): their code and configuration are the
// deployed ones.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { startEmbeddedSqs } from '../../infra/local/transport';
import { localSqsClient } from '../../layers/events/sqs';
import { freePort } from '../support/ports';
import { ACCOUNT, deployedValue, getAttId, ofType, PackagedLambdas, packagedFunctions, unpackArtifacts, type PackagedFunction, type Template } from './lambda-sandbox';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handler(req, res).catch((err) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `stand-in failed: ${(err as Error).message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`), as the SDK's InvokeCommand speaks it. */
export async function startLambdaApi(lambdas: PackagedLambdas): Promise<{ url: string; stop(): Promise<void> }> {
  const { server, url } = await listen(async (req, res) => {
    const route = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url?.split('?')[0] ?? '');
    const payload = await bodyOf(req);
    if (req.method !== 'POST' || !route) {
      res.writeHead(404, { 'x-amzn-errortype': 'UnknownOperationException' }).end();
      return;
    }
    const name = decodeURIComponent(route[1]);
    const sandbox = lambdas.find(name);
    if (!sandbox) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
      return;
    }
    const event = payload.length ? JSON.parse(payload.toString('utf8')) : {};
    const type = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (type === 'Event') {
      void sandbox.invoke(event);
      res.writeHead(202).end();
      return;
    }
    const result = await sandbox.invoke(event);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' };
    if (result.error) headers['x-amz-function-error'] = 'Unhandled';
    res.writeHead(200, headers);
    res.end(result.error ? JSON.stringify(result.error) : result.payload);
  });
  return { url, stop: () => close(server) };
}

interface HttpRoute {
  method: string;
  path: string;
  segments: string[];
  function: string;
  authorizer?: string;
}

/** The template's routes, each with the function behind its integration and its authorizer's function. */
export function templateRoutes(template: Template): HttpRoute[] {
  return ofType(template, 'AWS::ApiGatewayV2::Route').map(([, { Properties: route }]) => {
    // `$default`: what no other route matches (the platform's catch-all 404)
    const [method, path] = route.RouteKey === '$default' ? ['$default', ''] : String(route.RouteKey).split(' ');
    const integration = template.Resources[route.Target['Fn::Join'][1][1].Ref].Properties;
    if (integration.IntegrationType !== 'AWS_PROXY' || integration.PayloadFormatVersion !== '2.0') throw new Error(`${route.RouteKey}: only Lambda proxy integrations of payload 2.0 are played here`);
    let authorizer: string | undefined;
    if (route.AuthorizationType === 'CUSTOM') {
      const auth = template.Resources[route.AuthorizerId.Ref].Properties;
      if (auth.AuthorizerType !== 'REQUEST' || auth.AuthorizerPayloadFormatVersion !== '2.0' || !auth.EnableSimpleResponses || (auth.IdentitySource ?? []).length) {
        throw new Error(`${route.RouteKey}: only REQUEST authorizers of payload 2.0 with simple responses and no identity source are played here`);
      }
      authorizer = getAttId(auth.AuthorizerUri['Fn::Join'][1].find((p: any) => p?.['Fn::GetAtt']));
    }
    return { method, path, segments: path.split('/').filter(Boolean), function: getAttId(integration.IntegrationUri), authorizer };
  });
}

/** The route API Gateway picks: literal segments win over `{param}`, `{proxy+}` comes last, `$default` after all. */
function matchRoute(routes: HttpRoute[], method: string, path: string): { route: HttpRoute; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  const candidates: { route: HttpRoute; params: Record<string, string>; score: number }[] = [];
  const fallback = routes.find((r) => r.method === '$default');
  for (const route of routes) {
    if (route === fallback) continue;
    if (route.method !== method && route.method !== 'ANY') continue;
    const params: Record<string, string> = {};
    let score = 0;
    let matched = true;
    for (let i = 0; i < route.segments.length && matched; i++) {
      const seg = route.segments[i];
      const greedy = /^\{(.+)\+\}$/.exec(seg);
      const param = /^\{(.+)\}$/.exec(seg);
      if (greedy) {
        if (i >= parts.length) matched = false;
        else params[greedy[1]] = parts.slice(i).map(decodeURIComponent).join('/');
        score -= 1000;
        break;
      } else if (i >= parts.length) matched = false;
      else if (param) params[param[1]] = decodeURIComponent(parts[i]);
      else if (seg === parts[i]) score++;
      else matched = false;
    }
    const greedyLast = /\+\}$/.test(route.segments.at(-1) ?? '');
    if (matched && (greedyLast || route.segments.length === parts.length)) candidates.push({ route, params, score });
  }
  return candidates.sort((a, b) => b.score - a.score)[0] ?? (fallback && { route: fallback, params: {} });
}

const TEXT_BODY = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

/** The HTTP API of the template: its routes, REQUEST authorizer and Lambda proxy integrations (payload 2.0). */
export async function startHttpApi(template: Template, lambdas: PackagedLambdas, opts: { apiId: string; region: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const routes = templateRoutes(template);
  const { server, url } = await listen(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const [rawPath, rawQueryString = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const body = await bodyOf(req);
    const found = matchRoute(routes, req.method ?? 'GET', rawPath);
    if (!found) return reply(404, { message: 'Not Found' });
    const routeKey = found.route.method === '$default' ? '$default' : `${found.route.method} ${found.route.path}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (name !== 'cookie' && value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    Object.assign(headers, { 'x-forwarded-for': '127.0.0.1', 'x-forwarded-port': '443', 'x-forwarded-proto': 'https', 'x-amzn-trace-id': `Root=1-${randomUUID()}` });
    const query = new URLSearchParams(rawQueryString);
    const queryStringParameters: Record<string, string> = {};
    for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
    const now = new Date();
    const requestContext: Record<string, any> = {
      accountId: ACCOUNT,
      apiId: opts.apiId,
      domainName: `${opts.apiId}.execute-api.${opts.region}.amazonaws.com`,
      domainPrefix: opts.apiId,
      http: { method: req.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    };
    const common = {
      version: '2.0',
      routeKey,
      rawPath,
      rawQueryString,
      ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
      headers,
      ...(rawQueryString ? { queryStringParameters } : {}),
      ...(Object.keys(found.params).length ? { pathParameters: found.params } : {}),
    };

    if (found.route.authorizer) {
      const routeArn = `arn:aws:execute-api:${opts.region}:${ACCOUNT}:${opts.apiId}/$default/${req.method}${rawPath}`;
      const decided = await lambdas.invoke(found.route.authorizer, { ...common, type: 'REQUEST', routeArn, identitySource: [], requestContext });
      if (decided.error) return reply(500, { message: 'Internal Server Error' });
      const decision = JSON.parse(decided.payload);
      if (decision?.isAuthorized !== true) return reply(403, { message: 'Forbidden' });
      requestContext.authorizer = { lambda: decision.context ?? {} };
    }

    const text = body.length === 0 || TEXT_BODY.test(headers['content-type'] ?? '');
    const event = { ...common, requestContext, ...(body.length ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}), isBase64Encoded: !text };
    const result = await lambdas.invoke(found.route.function, event);
    if (result.error) return reply(500, { message: 'Internal Server Error' });
    const answer = JSON.parse(result.payload);
    // payload 2.0: an answer without statusCode is a 200 with the answer as its JSON body
    if (!answer || typeof answer !== 'object' || !('statusCode' in answer)) return reply(200, answer);
    const out: Record<string, string | string[]> = { ...answer.headers };
    if (answer.cookies?.length) out['set-cookie'] = answer.cookies;
    out['content-type'] ??= 'application/json';
    res.writeHead(answer.statusCode, out);
    const payload = typeof answer.body === 'string' ? answer.body : answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.end(answer.isBase64Encoded ? Buffer.from(payload, 'base64') : payload);
  });
  return { url, stop: () => close(server) };
}

export interface StackQueue {
  name: string;
  url: string;
  arn: string;
}

/** The template's SQS queues, created as CloudFormation would (dead-letter queues first, for their ARNs). */
export async function createQueues(template: Template, client: SQSClient): Promise<Map<string, StackQueue>> {
  const queues = new Map<string, StackQueue>();
  const all = ofType(template, 'AWS::SQS::Queue').sort(([, a], [, b]) => Number(!!a.Properties.RedrivePolicy) - Number(!!b.Properties.RedrivePolicy));
  for (const [id, { Properties: p }] of all) {
    const attributes: Record<string, string> = {};
    for (const key of ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds']) if (p[key] !== undefined) attributes[key] = String(p[key]);
    if (p.RedrivePolicy) {
      const dlq = queues.get(getAttId(p.RedrivePolicy.deadLetterTargetArn));
      attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq!.arn, maxReceiveCount: p.RedrivePolicy.maxReceiveCount });
    }
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: p.QueueName, Attributes: attributes }));
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    queues.set(id, { name: p.QueueName, url: QueueUrl!, arn: Attributes!.QueueArn! });
  }
  return queues;
}

/** A received message as the record Lambda's SQS event source mapping hands the function. */
function sqsRecordOf(message: Message, queue: StackQueue, region: string): SQSRecord {
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, a] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = { stringValue: a.StringValue, stringListValues: [], binaryListValues: [], dataType: a.DataType! };
  }
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: message.Attributes as SQSRecord['attributes'],
    messageAttributes,
    md5OfBody: message.MD5OfBody!,
    eventSource: 'aws:sqs',
    eventSourceARN: queue.arn,
    awsRegion: region,
  };
}

export interface Pollers {
  /** Batches each function was invoked with. */
  batches: Map<string, number>;
  /** What went wrong: a function error, or records it reported failed. */
  failures: string[];
  stop(): Promise<void>;
}

/** The template's SQS event source mappings: poll, invoke with a batch, delete what succeeded. */
export function startEventSourceMappings(template: Template, lambdas: PackagedLambdas, client: SQSClient, queues: Map<string, StackQueue>, opts: { region: string; pollMs: number }): Pollers {
  const batches = new Map<string, number>();
  const failures: string[] = [];
  let stopped = false;
  const loops = ofType(template, 'AWS::Lambda::EventSourceMapping').map(async ([id, { Properties: m }]) => {
    const queue = queues.get(getAttId(m.EventSourceArn));
    if (!queue) throw new Error(`${id}: its source is not an SQS queue of the stack`);
    const fn = lambdas.get(getAttId(m.FunctionName)).fn.name;
    const partial = (m.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures');
    while (!stopped) {
      const { Messages = [] } = await client
        .send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: m.BatchSize ?? 10, WaitTimeSeconds: 0, AttributeNames: ['All'], MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }))
        .catch((err: Error) => (stopped || failures.push(`${fn}: receiving from ${queue.name} failed: ${err.message}`), { Messages: [] }));
      if (!Messages.length) {
        await new Promise((r) => setTimeout(r, opts.pollMs));
        continue;
      }
      batches.set(fn, (batches.get(fn) ?? 0) + 1);
      const result = await lambdas.invoke(fn, { Records: Messages.map((msg) => sqsRecordOf(msg, queue, opts.region)) });
      // a failed invocation leaves the whole batch to come back after the visibility timeout
      if (result.error) {
        failures.push(`${fn}: ${result.error.errorType}: ${result.error.errorMessage}`);
        continue;
      }
      const failed = new Set<string>(partial ? (JSON.parse(result.payload)?.batchItemFailures ?? []).map((f: { itemIdentifier: string }) => f.itemIdentifier) : []);
      for (const id of failed) failures.push(`${fn}: reported record ${id} failed`);
      const done = Messages.filter((msg) => !failed.has(msg.MessageId!));
      if (done.length) {
        await client
          .send(new DeleteMessageBatchCommand({ QueueUrl: queue.url, Entries: done.map((msg, i) => ({ Id: String(i), ReceiptHandle: msg.ReceiptHandle! })) }))
          .catch((err: Error) => failures.push(`${fn}: deleting from ${queue.name} failed: ${err.message}`));
      }
    }
  });
  return {
    batches,
    failures,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

export interface Schedules {
  /** Each scheduled function's answers, in order. */
  results: Map<string, unknown[]>;
  failures: string[];
  stop(): Promise<void>;
}

/** The template's EventBridge schedules for the chosen functions, each `rate(…)` played as `everyMs`; a run never overlaps the last. */
export function startSchedules(template: Template, lambdas: PackagedLambdas, opts: { functions: string[]; everyMs: number; region: string }): Schedules {
  const results = new Map<string, unknown[]>();
  const failures: string[] = [];
  let stopped = false;
  const rules = ofType(template, 'AWS::Events::Rule').filter(([, r]) => r.Properties.State === 'ENABLED' && /^rate\(/.test(r.Properties.ScheduleExpression));
  const scheduled = rules.map(([id, { Properties: rule }]) => ({ id, fn: lambdas.get(getAttId(rule.Targets[0].Arn)).fn.name })).filter((r) => opts.functions.includes(r.fn));
  for (const fn of opts.functions) if (!scheduled.some((r) => r.fn === fn)) throw new Error(`${fn} has no schedule in the template`);
  const loops = scheduled.map(async ({ id, fn }) => {
    results.set(fn, []);
    while (!stopped) {
      const event = { version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: ACCOUNT, time: new Date().toISOString(), region: opts.region, resources: [`arn:aws:events:${opts.region}:${ACCOUNT}:rule/${id}`], detail: {} };
      const result = await lambdas.invoke(fn, event);
      if (result.error) failures.push(`${fn}: ${result.error.errorType}: ${result.error.errorMessage}`);
      else results.get(fn)!.push(JSON.parse(result.payload));
      await new Promise((r) => setTimeout(r, opts.everyMs));
    }
  });
  return {
    results,
    failures,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

export interface PackagedStage {
  /** The HTTP API's URL. */
  url: string;
  lambdas: PackagedLambdas;
  sqs: SQSClient;
  queues: Map<string, StackQueue>;
  pollers: Pollers;
  schedules: Schedules;
  stop(): Promise<void>;
}

/**
 * The packaged stage in `packageDir`, deployed on the stand-ins. Each function gets the
 * template's environment with the secret's values in place of its references and
 * `parameters` (by the variable that carries them) where the stage is given other
 * parameters than it was packaged with; then what Lambda sets itself.
 */
export async function startPackagedStage(opts: {
  packageDir: string;
  template: Template;
  work: string;
  region: string;
  secrets: Record<string, string>;
  parameters: Record<string, string>;
  schedules: { functions: string[]; everyMs: number };
  pollMs?: number;
}): Promise<PackagedStage> {
  const { template, region } = opts;
  const functions = packagedFunctions(template);
  const unpacking = unpackArtifacts(opts.packageDir, functions, opts.work);
  unpacking.catch(() => undefined);
  const apiId = randomUUID().replace(/-/g, '').slice(0, 10);
  const refs = { HttpApi: apiId, 'AWS::Region': region, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws' };
  const apiOrigin = `https://${apiId}.execute-api.${region}.amazonaws.com`;
  const endpoints = { api: '', lambda: '', sqs: '' };
  const environmentOf = (fn: PackagedFunction, taskRoot: string): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(fn.variables)) {
      // the stage's own public URL (the webhook route) is the stand-in's
      env[name] = name in opts.parameters ? opts.parameters[name] : deployedValue(value, opts.secrets, refs).replace(apiOrigin, endpoints.api);
    }
    return {
      ...env,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomUUID().replace(/-/g, '')}`,
      _HANDLER: fn.handler,
      LAMBDA_TASK_ROOT: taskRoot,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      // the execution role's temporary credentials
      AWS_ACCESS_KEY_ID: 'ASIASTANDINEXAMPLE00',
      AWS_SECRET_ACCESS_KEY: 'stand-in-secret-access-key',
      AWS_SESSION_TOKEN: 'stand-in-session-token',
      // the stand-ins in place of the regional endpoints
      AWS_ENDPOINT_URL_SQS: endpoints.sqs,
      AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
    };
  };

  // stopped in reverse order, also when starting fails half-way
  const started: (() => Promise<unknown> | void)[] = [];
  const stop = async () => {
    for (const undo of started.reverse()) await Promise.resolve(undo()).catch(() => undefined);
  };
  try {
    const embedded = await startEmbeddedSqs(await freePort());
    started.push(() => embedded.stop());
    endpoints.sqs = embedded.endpoint;
    const sqs = localSqsClient(embedded.endpoint, region);
    started.push(() => sqs.destroy());
    const queues = await createQueues(template, sqs);
    const lambdas = new PackagedLambdas(functions, await unpacking, environmentOf, region);
    started.push(() => lambdas.stop());
    const lambdaApi = await startLambdaApi(lambdas);
    started.push(() => lambdaApi.stop());
    endpoints.lambda = lambdaApi.url;
    const http = await startHttpApi(template, lambdas, { apiId, region });
    started.push(() => http.stop());
    endpoints.api = http.url;
    const pollers = startEventSourceMappings(template, lambdas, sqs, queues, { region, pollMs: opts.pollMs ?? 100 });
    started.push(() => pollers.stop());
    const schedules = startSchedules(template, lambdas, { ...opts.schedules, region });
    started.push(() => schedules.stop());
    return { url: http.url, lambdas, sqs, queues, pollers, schedules, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
