// The local runner's call of a function: the Lambda Invoke API (POST
// /2015-03-31/functions/{name}/invocations, the event as the body, the function's answer as the
// response, `X-Amz-Function-Error` when it failed) as serverless-offline's Lambda endpoint
// serves it, in a plain HTTP request on kept-alive connections. The AWS SDK's LambdaClient
// makes the same request through its middleware (endpoint rules, a SigV4 signature, retries),
// which cost the runner about 0.4–0.6 ms of CPU an invocation more than this; the local
// endpoint checks no signature, and a deployed stage has no runner (its event source mappings
// invoke the functions).
import http from 'node:http';

export interface Invocation {
  /** The function's answer, as the endpoint sent it. */
  payload: string;
  /** `X-Amz-Function-Error` (`Unhandled`: the function threw), or undefined when it succeeded. */
  functionError?: string;
}

/** The endpoint answered, but not with a function's outcome (no such function, a bad request): never tried again. */
export class LambdaEndpointRefusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(`the Lambda endpoint answered ${statusCode}: ${body.slice(0, 300)}`);
    this.name = 'LambdaEndpointRefusal';
  }
}

export interface LambdaEndpoint {
  /** Invokes `functionName` with `payload` (JSON text) and waits for its answer (RequestResponse). */
  invoke(functionName: string, payload: string): Promise<Invocation>;
  /** Closes the kept-alive connections. */
  close(): void;
}

export function lambdaEndpoint(url: string): LambdaEndpoint {
  const base = new URL(url);
  if (base.protocol !== 'http:') throw new Error(`the Lambda endpoint must be an http:// URL (serverless-offline's), not ${url}`);
  const prefix = base.pathname.replace(/\/+$/, '');
  const agent = new http.Agent({ keepAlive: true });
  return {
    invoke: (functionName, payload) =>
      new Promise<Invocation>((resolve, reject) => {
        const body = Buffer.from(payload, 'utf8');
        const req = http.request(
          {
            host: base.hostname,
            port: base.port || 80,
            path: `${prefix}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-amz-invocation-type': 'RequestResponse' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const status = res.statusCode ?? 0;
              if (status < 200 || status > 299) return reject(new LambdaEndpointRefusal(status, text));
              const functionError = res.headers['x-amz-function-error'];
              resolve({ payload: text, functionError: typeof functionError === 'string' ? functionError : undefined });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
