// What a broker topology is, independent of the transport: an exchange, one queue per
// consuming function with the event types it is bound to, a dead-letter queue per queue and
// the retry schedule before it. The application declares its own (the cinema's is derived from
// its consumer registry, layers/contracts/consumers.ts).
// Every name carries an optional prefix so that tests (and stages) can live side by side on
// one broker.

export interface QueueSpec {
  /** The consuming function's queue, as the code refers to it (without prefix). */
  name: string;
  /** Routing-key patterns (event types; `*` matches one word, `#` zero or more). */
  bindings: readonly string[];
}

export interface Topology {
  prefix: string;
  /** Topic exchange every event is published to, keyed by its type. */
  exchange: string;
  /** Direct exchange that routes a queue's dead letters to `<queue>.dlq`. */
  deadLetterExchange: string;
  queues: readonly QueueSpec[];
  /** Delay before each retry; a message is attempted `retryDelaysMs.length + 1` times before the DLQ. */
  retryDelaysMs: readonly number[];
}

export interface TopologyOptions {
  prefix?: string;
  exchange?: string;
  deadLetterExchange?: string;
  retryDelaysMs?: readonly number[];
}

export function defineTopology(queues: Record<string, readonly string[]>, options: TopologyOptions = {}): Topology {
  const prefix = options.prefix ?? '';
  if (!/^[A-Za-z0-9_-]*$/.test(prefix)) throw new Error(`Invalid topology prefix "${prefix}": letters, digits, - and _ only`);
  const retryDelaysMs = options.retryDelaysMs ?? [1_000, 10_000, 60_000];
  if (retryDelaysMs.some((d) => !Number.isInteger(d) || d < 0)) throw new Error('Retry delays must be non-negative whole milliseconds');
  for (const [name, bindings] of Object.entries(queues)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`Invalid queue name "${name}": lower-case letters, digits and - only`);
    if (bindings.length === 0) throw new Error(`Queue "${name}" is bound to no event type`);
  }
  return {
    prefix,
    exchange: prefix + (options.exchange ?? 'cinema.events'),
    deadLetterExchange: prefix + (options.deadLetterExchange ?? 'cinema.events.dlx'),
    queues: Object.entries(queues).map(([name, bindings]) => ({ name, bindings: [...bindings] })),
    retryDelaysMs: [...retryDelaysMs],
  };
}

export const maxAttempts = (topology: Topology) => topology.retryDelaysMs.length + 1;

/** The broker-side name of a consuming function's queue. */
export function queueName(topology: Topology, queue: string): string {
  if (!topology.queues.some((q) => q.name === queue)) {
    throw new Error(`Unknown queue "${queue}"; the topology declares: ${topology.queues.map((q) => q.name).join(', ')}`);
  }
  return topology.prefix + queue;
}

export const deadLetterQueueName = (physicalQueue: string) => `${physicalQueue}.dlq`;

// Named by delay rather than by level, so that changing the schedule declares new queues
// instead of clashing with the TTL of existing ones.
export function retryQueueName(physicalQueue: string, delayMs: number): string {
  const delay = delayMs % 1000 === 0 ? `${delayMs / 1000}s` : `${delayMs}ms`;
  return `${physicalQueue}.retry.${delay}`;
}

/** Delay before the attempt after `failedAttempt` (1-based); undefined once attempts are used up. */
export function retryDelayAfter(topology: Topology, failedAttempt: number): number | undefined {
  return failedAttempt >= 1 && failedAttempt <= topology.retryDelaysMs.length ? topology.retryDelaysMs[failedAttempt - 1] : undefined;
}

/** AMQP topic matching: words split on `.`, `*` is exactly one word, `#` zero or more. */
export function bindingMatches(pattern: string, routingKey: string): boolean {
  const p = pattern.split('.');
  const k = routingKey.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') {
      for (let skip = j; skip <= k.length; skip++) if (match(i + 1, skip)) return true;
      return false;
    }
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

/** The queues (unprefixed names) an event of `type` is delivered to. */
export function queuesBoundTo(topology: Topology, type: string): string[] {
  return topology.queues.filter((q) => q.bindings.some((b) => bindingMatches(b, type))).map((q) => q.name);
}
