// Runs serverless-offline as a child process: the API gateway and the Lambda invoke
// endpoint, with the same functions and routes as serverless.yml declares for AWS.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How much of serverless-offline's output a gateway keeps for `output()`, in characters. */
const OUTPUT_KEPT = 200_000;

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Gateway {
  url: string;
  lambdaUrl: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function startGateway(opts: {
  httpPort: number;
  lambdaPort: number;
  env: NodeJS.ProcessEnv;
  stage?: string;
  readyTimeoutMs?: number;
  onLine?: (line: string) => void;
}): Promise<Gateway> {
  const cli = join(ROOT, 'node_modules', 'serverless', 'bin', 'serverless.js');
  const child = spawn(
    process.execPath,
    [cli, 'offline', 'start', '--stage', opts.stage ?? 'local', '--httpPort', String(opts.httpPort), '--lambdaPort', String(opts.lambdaPort), '--noSponsor'],
    { cwd: ROOT, env: { ...process.env, ...opts.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  // The last 200,000 characters or so, as chunks: serverless-offline writes a few lines per
  // invocation, and copying the whole tail on each one took about a tenth of a loaded stack's
  // runner's busy time (the pipeline bench, profiled).
  const chunks: string[] = [];
  let kept = 0;
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    chunks.push(text);
    kept += text.length;
    while (kept - chunks[0].length >= OUTPUT_KEPT) kept -= chunks.shift()!.length;
    if (opts.onLine) for (const line of text.split('\n')) if (line.trim()) opts.onLine(line);
  };
  const out = () => chunks.join('').slice(-OUTPUT_KEPT);
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`serverless-offline did not become ready:\n${out().slice(-4000)}`));
    }, opts.readyTimeoutMs ?? 180_000); // a cold bundling of every function on a loaded machine takes minutes
    // the line may come split over two chunks: each new chunk is read with the end of the one before
    let tail = '';
    const check = (chunk: Buffer) => {
      const text = tail + chunk.toString();
      tail = text.slice(-64);
      if (/Server ready:/.test(text)) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.stderr!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serverless-offline exited (${code}) before it was ready:\n${out().slice(-4000)}`));
    });
  });

  return {
    url: `http://127.0.0.1:${opts.httpPort}`,
    lambdaUrl: `http://127.0.0.1:${opts.lambdaPort}`,
    process: child,
    output: out,
    stop,
  };
}
