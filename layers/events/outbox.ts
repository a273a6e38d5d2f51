// Transactional outbox: a domain writes its state change and the event in one transaction
// (`enqueue`), and a relay publishes what committed. A rolled-back change leaves no event;
// an event whose publish failed stays unsent and goes out once the broker is back.
//
// The relay holds row locks (FOR UPDATE SKIP LOCKED) while it publishes, so relays running
// side by side take disjoint rows and each row is published once. A relay that dies between
// the broker's confirm and its commit leaves the rows unsent, and they are published again:
// delivery is at least once overall, and consumers deduplicate with the inbox.
import type pg from 'pg';
import { withTransaction, type Queryable } from '../core/db';
import { log as rootLog, type Logger } from '../core/log';
import type { EventBus } from './bus';
import { envelopeSchema, type Envelope } from './envelope';
import { OUTBOX_CHANNEL } from './sql';

/** Writes `event` into the outbox inside the caller's transaction (`tx` is its client). */
export async function enqueue(tx: Queryable, event: Envelope): Promise<void> {
  envelopeSchema.parse(event);
  // NOTIFY is delivered at commit, and not at all on rollback: the relay wakes for real events only.
  await tx.query(
    `WITH added AS (INSERT INTO outbox (event_id, event_type, envelope) VALUES ($1, $2, $3) RETURNING 1)
     SELECT pg_notify($4, '') FROM added`,
    [event.id, event.type, JSON.stringify(event), OUTBOX_CHANNEL],
  );
}

export interface RelayResult {
  published: number;
  failed: number;
}

/**
 * Publishes up to `batch` unsent events, oldest first, and marks sent only those the broker
 * confirmed. Publishes are pipelined on one channel, so they leave in position order; an
 * event that failed is tried again by a later round (after later ones, if those succeeded).
 */
export async function relayOutbox(pool: pg.Pool, bus: Pick<EventBus, 'publish'>, options: { batch?: number } = {}): Promise<RelayResult> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ position: string; envelope: Envelope }>(
      `SELECT position, envelope FROM outbox WHERE published_at IS NULL ORDER BY position LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [options.batch ?? 100],
    );
    if (rows.length === 0) return { published: 0, failed: 0 };
    const results = await Promise.allSettled(rows.map((row) => bus.publish(row.envelope)));
    const sent: string[] = [];
    const failed: string[] = [];
    const errors: string[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') sent.push(rows[i].position);
      else {
        failed.push(rows[i].position);
        errors.push(String((result.reason as Error)?.message ?? result.reason).slice(0, 1000));
      }
    });
    if (sent.length) {
      await tx.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE position = ANY($1::bigint[])`, [sent]);
    }
    if (failed.length) {
      await tx.query(
        `UPDATE outbox SET attempts = outbox.attempts + 1, last_error = f.error
           FROM unnest($1::bigint[], $2::text[]) AS f(position, error) WHERE outbox.position = f.position`,
        [failed, errors],
      );
    }
    return { published: sent.length, failed: failed.length };
  });
}

export interface OutboxRelayOptions {
  /** Poll interval; also the first backoff step after a failed round. Default 1000 ms. */
  intervalMs?: number;
  /** Longest wait between rounds while the broker keeps failing. Default 30 s. */
  maxBackoffMs?: number;
  batch?: number;
  /** Wake on NOTIFY from `enqueue` (holds one connection of `pool`). Default true. */
  listen?: boolean;
  log?: Logger;
}

export interface OutboxRelay {
  /**
   * Relays what is waiting now: rounds of `batch` until the outbox is empty or a round fails.
   * Says how many it published and, when a round failed, how many of that round were not;
   * throws what a round throws (the database is away).
   */
  drain(): Promise<RelayResult>;
  /**
   * Relays until `deadline` (ms since the epoch) or, without one, until stopped: drains at
   * start, whenever `enqueue` commits (LISTEN/NOTIFY) and every `intervalMs`, backing off
   * while publishing fails. Resolves once stopped, the round in progress done. One run per relay.
   */
  runUntil(deadline?: number): Promise<void>;
  /** Stops polling and listening, and waits for a round in progress. */
  stop(): Promise<void>;
}

/**
 * The one outbox relay, whoever runs it: the local runner until it stops
 * (`startOutboxRelay`), a scheduled function for its window (infra/aws/outbox-relay.ts).
 */
export function outboxRelay(pool: pg.Pool, bus: Pick<EventBus, 'publish'>, options: OutboxRelayOptions = {}): OutboxRelay {
  const intervalMs = options.intervalMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const batch = options.batch ?? 100;
  const log = (options.log ?? rootLog).child({ component: 'outbox-relay' });
  let started = false;
  let stopped = false;
  let stopping: Promise<void> | undefined;
  /** Drains in a row that failed: the backoff's exponent. */
  let failures = 0;
  let again = false;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let finished: (() => void) | undefined;
  let listener: pg.PoolClient | undefined;
  let listening: Promise<void> | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  const drainWaiting = async (): Promise<RelayResult> => {
    let published = 0;
    for (;;) {
      const round = await relayOutbox(pool, bus, { batch });
      published += round.published;
      if (round.failed) return { published, failed: round.failed };
      if (failures) log.info('outbox relay publishing again');
      failures = 0;
      if (round.published < batch) return { published, failed: 0 };
    }
  };

  const drain = async () => {
    do {
      again = false;
      try {
        const result = await drainWaiting();
        if (result.failed) {
          if (failures++ === 0) log.warn('outbox events not published; retrying with backoff', { failed: result.failed });
          return;
        }
      } catch (err) {
        if (failures++ === 0) log.warn('outbox relay round failed; retrying with backoff', { err });
        return;
      }
    } while (again && !stopped);
  };

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    const delay = failures ? Math.min(maxBackoffMs, intervalMs * 2 ** (failures - 1)) : intervalMs;
    timer = setTimeout(tick, delay);
  };

  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain().finally(() => {
      running = undefined;
      schedule();
    });
  };

  const listen = async () => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      if (!stopped) log.warn('outbox relay cannot LISTEN; polling only for now', { err: (err as Error).message });
      return;
    }
    const held = client;
    let released = false;
    const release = (err?: Error | boolean) => {
      if (listener === held) listener = undefined;
      if (!released) held.release(err);
      released = true;
    };
    held.on('notification', () => {
      // While the broker is failing the backoff timer decides; commits must not hammer it.
      if (failures === 0) kick();
    });
    held.on('error', (err) => {
      log.warn('outbox LISTEN connection lost; polling until it is back', { err: err.message });
      release(err);
    });
    try {
      await held.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (err) {
      if (!stopped) log.warn('outbox relay cannot LISTEN; polling only for now', { err: (err as Error).message });
      release(true);
      return;
    }
    if (released) return;
    listener = held;
    unlisten = async () => {
      await held.query(`UNLISTEN ${OUTBOX_CHANNEL}`).catch(() => undefined);
      release();
    };
  };

  function tick() {
    if (options.listen !== false && !listener && !listening && !stopped) {
      listening = listen().finally(() => (listening = undefined));
    }
    kick();
  }

  const stop = () =>
    (stopping ??= (async () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(deadlineTimer);
      await listening;
      await running;
      if (listener) await unlisten?.();
      finished?.();
    })());

  return {
    drain: drainWaiting,
    runUntil(deadline) {
      if (started) return Promise.reject(new Error('this outbox relay has run already; make another'));
      started = true;
      if (stopping) return stopping;
      const done = new Promise<void>((resolve) => (finished = resolve));
      tick();
      if (deadline !== undefined) deadlineTimer = setTimeout(() => void stop(), Math.max(0, deadline - Date.now()));
      return done;
    },
    stop,
  };
}

/** The relay run until stopped (the local runner, tests): `await relay.stop()`. */
export function startOutboxRelay(pool: pg.Pool, bus: Pick<EventBus, 'publish'>, options: OutboxRelayOptions = {}): OutboxRelay {
  const relay = outboxRelay(pool, bus, options);
  void relay.runUntil();
  return relay;
}
