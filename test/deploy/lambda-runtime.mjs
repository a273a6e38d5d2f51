// One packaged function in a sandbox of its own, run the way Lambda's Node.js runtime runs
// it: the handler module named by _HANDLER is imported from LAMBDA_TASK_ROOT once (the cold
// start, with the function's environment already in place), then each invocation calls the
// exported handler with the event and a Lambda context, one at a time. Plain JavaScript,
// since it runs on the Node 22 binary without our TypeScript loader.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const spec = process.env._HANDLER ?? '';
const cut = spec.lastIndexOf('.');
const [modulePath, exportName] = [spec.slice(0, cut), spec.slice(cut + 1)];

const errorOf = (err) => ({
  // as Lambda names a handler module that cannot be loaded
  errorType: err?.code === 'ERR_MODULE_NOT_FOUND' ? 'Runtime.ImportModuleError' : (err?.name ?? 'Error'),
  errorMessage: err?.message ?? String(err),
  trace: String(err?.stack ?? '').split('\n'),
});

let handler;
let initError;
const started = performance.now();
try {
  // Lambda looks for the module with these extensions, in this order
  const file = ['.mjs', '.js', '.cjs'].map((ext) => join(process.env.LAMBDA_TASK_ROOT, modulePath + ext)).find((f) => existsSync(f));
  if (!file) throw Object.assign(new Error(`Cannot find module '${modulePath}'`), { name: 'Runtime.ImportModuleError' });
  handler = (await import(pathToFileURL(file).href))[exportName];
  if (typeof handler !== 'function') throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
} catch (err) {
  initError = err;
}
process.send({ type: 'init', initMs: performance.now() - started, error: initError && errorOf(initError) });

process.on('message', async ({ id, event, requestId, deadline, invokedFunctionArn }) => {
  if (initError) return process.send({ type: 'result', id, error: errorOf(initError) });
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(event, context);
    // what the Invoke API answers: the result as JSON (null for undefined)
    process.send({ type: 'result', id, payload: JSON.stringify(result ?? null) });
  } catch (err) {
    process.send({ type: 'result', id, error: errorOf(err) });
  }
});
