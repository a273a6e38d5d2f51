// The throttle rules (throttle.ts) kept in auth's database: failures and locks per key in
// login_throttle, requests per window in request_counts. Each count is one atomic upsert, so
// parallel requests cannot slip under a limit.
import type { Queryable } from '../../layers/core/db';
import { lockSeconds, overLimit, type RequestLimit, type ThrottleRule } from './throttle';

/** Seconds `key` stays locked (0 = not locked). */
export async function lockedFor(db: Queryable, key: string): Promise<number> {
  const { rows } = await db.query('SELECT extract(epoch FROM locked_until - now()) AS wait FROM login_throttle WHERE key = $1 AND locked_until > now()', [key]);
  return rows[0] ? Math.ceil(Number(rows[0].wait)) : 0;
}

/** Counts a failure atomically; a window older than the rule's starts afresh. */
export async function recordFailure(db: Queryable, key: string, rule: ThrottleRule): Promise<void> {
  const { rows } = await db.query(
    `INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN login_throttle.window_start < now() - make_interval(secs => $2) THEN 1 ELSE login_throttle.failures + 1 END,
       window_start = CASE WHEN login_throttle.window_start < now() - make_interval(secs => $2) THEN now() ELSE login_throttle.window_start END
     RETURNING failures`,
    [key, rule.windowSeconds],
  );
  const seconds = lockSeconds(rule, rows[0].failures);
  if (seconds > 0) await db.query('UPDATE login_throttle SET locked_until = now() + make_interval(secs => $2) WHERE key = $1', [key, seconds]);
}

export async function forgetFailures(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}

/**
 * Counts one request under `key`; says whether it is over the limit and, if so, in how many
 * seconds the window ends.
 */
export async function countRequest(db: Queryable, key: string, rule: RequestLimit): Promise<{ over: boolean; retryAfterSeconds: number }> {
  const { rows } = await db.query(
    `INSERT INTO request_counts (key, count, window_start) VALUES ($1, 1, now())
     ON CONFLICT (key) DO UPDATE SET
       count = CASE WHEN request_counts.window_start < now() - make_interval(secs => $2) THEN 1 ELSE request_counts.count + 1 END,
       window_start = CASE WHEN request_counts.window_start < now() - make_interval(secs => $2) THEN now() ELSE request_counts.window_start END
     RETURNING count, extract(epoch FROM window_start + make_interval(secs => $2) - now()) AS left`,
    [key, rule.windowSeconds],
  );
  return { over: overLimit(rule, rows[0].count), retryAfterSeconds: Math.max(1, Math.ceil(Number(rows[0].left))) };
}
