// Ledger entries: recorded when their event arrives (in the inbox's transaction), made
// final by the submitter, which retries with backoff while the cluster is away.
import type pg from 'pg';
import type { Queryable } from '../../layers/core/db';
import { ChainRejectedError, type ChainClient } from '../../layers/chain/port';
import type { Logger } from '../../layers/core/log';
import type { LedgerFact } from './facts';

export async function recordFact(tx: Queryable, fact: LedgerFact): Promise<void> {
  await tx.query(
    `INSERT INTO ledger_entries (event_id, event_type, booking_id, payment_id, user_id, transaction, disclosure) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (event_id) DO NOTHING`,
    [fact.eventId, fact.eventType, fact.bookingId, fact.paymentId, fact.userId, fact.transaction, fact.disclosure],
  );
}

export interface SubmitRound {
  final: number;
  failed: number;
  rejected: number;
}

/** Backoff before the next try: 1 s doubling to 60 s. The entry is never given up while the cluster may come back. */
export const retryDelaySeconds = (attempts: number) => Math.min(60, 2 ** Math.max(0, attempts - 1));

/**
 * Submits due pending entries, `concurrency` at a time. Each entry is locked while it is
 * submitted (SKIP LOCKED), so two submitters never work on one entry.
 */
export async function submitDue(pool: pg.Pool, chain: ChainClient, options: { batch?: number; timeoutMs?: number; log?: Logger } = {}): Promise<SubmitRound> {
  const round: SubmitRound = { final: 0, failed: 0, rejected: 0 };
  const client = await pool.connect();
  // A connection the server ends while we wait on the chain fails the query in hand; without a
  // listener it would also be thrown as an unhandled 'error' event and end the process.
  const onLost = (err: Error) => options.log?.warn('ledger database connection lost', { err: err.message });
  client.on('error', onLost);
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `SELECT event_id, transaction, attempts FROM ledger_entries
        WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY recorded_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [options.batch ?? 50],
    );
    const results = await Promise.allSettled(rows.map((r) => chain.submitAndAwaitFinal(r.transaction, { timeoutMs: options.timeoutMs })));
    for (const [i, result] of results.entries()) {
      const row = rows[i];
      if (result.status === 'fulfilled') {
        await client.query(`UPDATE ledger_entries SET status = 'final', height = $2, block_hash = $3, final_at = now(), attempts = attempts + 1, last_error = NULL WHERE event_id = $1`, [
          row.event_id,
          result.value.height,
          result.value.blockHash,
        ]);
        round.final++;
      } else {
        const err = result.reason as Error;
        // a refusal will not change by retrying soon, but the cluster's genesis may be fixed: retry slowly, say why
        const delay = err instanceof ChainRejectedError ? 3600 : retryDelaySeconds(row.attempts + 1);
        await client.query(
          `UPDATE ledger_entries SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE event_id = $1`,
          [row.event_id, String(err?.message ?? err).slice(0, 1000), delay],
        );
        if (err instanceof ChainRejectedError) round.rejected++;
        else round.failed++;
        options.log?.warn('ledger entry not final yet', { eventId: row.event_id, attempts: row.attempts + 1, retryInSeconds: delay, err: err?.message });
      }
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onLost);
    client.release();
  }
  return round;
}

export interface LedgerSubmitterOptions {
  /** Pause after a round that found nothing due or could not reach the cluster. Default 100 ms. */
  intervalMs?: number;
  /** How long a round waits for its entries to become final. */
  timeoutMs?: number;
  /**
   * A round that throws (the ledger database is away) ends the run, rejecting `runUntil`,
   * rather than being logged and tried again after `intervalMs`: what a scheduled run wants,
   * since its scheduler starts the next one. Default false.
   */
  failFast?: boolean;
  log?: Logger;
}

export interface LedgerSubmitter {
  /**
   * Submits due entries round after round until `deadline` (ms since the epoch) or, without
   * one, until stopped: at once while there is work, after `intervalMs` otherwise. Resolves
   * with how many entries it made final.
   */
  runUntil(deadline?: number): Promise<{ final: number }>;
  /** Ends the run after the round in progress, and waits for that round. */
  stop(): Promise<void>;
}

/** The one submitter, whoever runs it: the local runner until it stops, a scheduled function for most of its minute (jobs/submit-due.ts). */
export function ledgerSubmitter(pool: pg.Pool, chain: ChainClient, options: LedgerSubmitterOptions = {}): LedgerSubmitter {
  const intervalMs = options.intervalMs ?? 100;
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  return {
    async runUntil(deadline) {
      let final = 0;
      while (!stopped && (deadline === undefined || Date.now() < deadline)) {
        const submitting = submitDue(pool, chain, { log: options.log, timeoutMs: options.timeoutMs });
        current = submitting.catch(() => undefined);
        let round: SubmitRound | undefined;
        try {
          round = await submitting;
          final += round.final;
        } catch (err) {
          if (options.failFast) throw err;
          options.log?.warn('ledger submit round failed', { err });
        }
        if (stopped) break;
        // drain quickly while there is work, otherwise poll
        if (!round || round.final + round.failed + round.rejected === 0 || round.failed > 0) await new Promise((r) => setTimeout(r, intervalMs));
      }
      return { final };
    },
    async stop() {
      stopped = true;
      await current;
    },
  };
}
