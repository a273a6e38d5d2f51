// Inbox: a consumer records the event id in the same transaction as the event's effect. A
// redelivered event finds its row, commits nothing new and is acknowledged like a success.
// Two deliveries of one event racing each other serialize on the primary key: the second
// waits for the first to commit (then does nothing) or roll back (then applies the effect).
import type pg from 'pg';
import { withTransaction } from '../core/db';
import type { Envelope } from './envelope';

export type InboxOutcome = 'applied' | 'duplicate';

/**
 * Applies `effect` once per (consumer, event id). Events the effect enqueues into the outbox
 * commit with it. Throws what `effect` throws, leaving nothing recorded, so a retry applies it.
 */
export async function handleOnce(
  pool: pg.Pool,
  consumer: string,
  event: Pick<Envelope, 'id' | 'type'>,
  effect: (tx: pg.PoolClient) => Promise<void>,
): Promise<InboxOutcome> {
  // a broken build on purpose, for the soak's test that shows its checker can fail: every
  // delivery applied, duplicates too. Only that test sets it.
  if (process.env.SOAK_SABOTAGE?.split(',').includes('skip-inbox')) {
    await withTransaction(pool, effect);
    return 'applied';
  }
  return withTransaction(pool, async (tx) => {
    const claimed = await tx.query(`INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [consumer, event.id, event.type]);
    if (claimed.rowCount === 0) return 'duplicate';
    await effect(tx);
    return 'applied';
  });
}
