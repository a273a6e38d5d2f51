// A function invoked directly, not through the gateway's HTTP onion (a consumer, an internal
// call, the authorizer), answers a failure in plain words. Whoever invokes it (the local
// Lambda endpoint answers anyone who can reach it) learns that it failed, under which
// correlation id, and nothing else: not our stack trace, not our file paths, not a SQL error's
// text. The detail is in our log, under that id. It still fails, so a broker's event source
// or the local runner retries as before.
import { randomUUID } from 'node:crypto';
import { log as rootLog, type Logger } from './log';

/** What the invoker is told: a plain failure with no trace of our code. */
export class InvocationFailed extends Error {
  constructor(
    readonly functionName: string,
    readonly correlationId: string,
  ) {
    super(`${functionName} failed (correlation id ${correlationId}); the detail is in its log`);
    this.name = 'InvocationFailed';
    // the runtime reports `stack` to the invoker: it holds the message only
    this.stack = `${this.name}: ${this.message}`;
  }
}

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** The correlation id an AWS event carries, where it has one: an Amazon MQ or SQS message's, or the request's. */
export function correlationIdOf(event: unknown): string | undefined {
  if (!event || typeof event !== 'object') return undefined;
  const e = event as Record<string, any>;
  const rmq = e.rmqMessagesByQueue && typeof e.rmqMessagesByQueue === 'object' ? Object.values(e.rmqMessagesByQueue)[0] : undefined;
  return (
    text(e.correlationId) ??
    (Array.isArray(rmq) ? text(rmq[0]?.basicProperties?.correlationId) : undefined) ??
    (Array.isArray(e.Records) ? text(e.Records[0]?.messageAttributes?.correlationId?.stringValue) : undefined) ??
    text(e.requestContext?.requestId)
  );
}

/** `handler`, whose failures are logged in full and answered as InvocationFailed (named `name`). */
export function plainFailures<E, C, R>(name: string, handler: (event: E, context: C) => Promise<R>, options: { log?: Logger } = {}) {
  const log = (options.log ?? rootLog).child({ function: name });
  return async (event: E, context?: C): Promise<R> => {
    try {
      return await handler(event, context as C);
    } catch (err) {
      const correlationId = correlationIdOf(event) ?? randomUUID();
      log.error('invocation failed', { correlationId, err });
      throw new InvocationFailed(name, correlationId);
    }
  };
}
