// The ledger's submitter, the one loop behind the local runner (run until stopped) and the
// scheduled function (run until its deadline), on a real ledger database and a chain that
// finalises what it is sent.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainClient } from '../../layers/chain/port';
import { createTestDatabases, type TestDatabases } from '../support/stack';
import type { Logger } from '../../layers/core/log';
import { ledgerSubmitter, recordFact } from '../../functions/ledger/entries';
import type { LedgerFact } from '../../functions/ledger/facts';

let db: TestDatabases;
let pool: pg.Pool;
beforeAll(async () => {
  db = await createTestDatabases();
  pool = db.pool('ledger');
});
afterAll(async () => {
  await db?.drop();
});

/** A chain that makes every transaction final at once, and counts what it was sent. */
function finalisingChain() {
  const sent: string[] = [];
  const chain: ChainClient = {
    async submitAndAwaitFinal(tx) {
      sent.push(tx.id);
      return { transactionId: tx.id, height: sent.length, blockHash: `block-${sent.length}`, evidence: 'replies' };
    },
    proofOf: async () => undefined,
  };
  return { chain, sent };
}

async function recordPending(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const eventId = randomUUID();
    const fact = { eventId, eventType: 'payment.success', bookingId: null, paymentId: randomUUID(), userId: randomUUID(), transaction: { id: eventId } } as unknown as LedgerFact;
    await recordFact(pool, fact);
    ids.push(eventId);
  }
  return ids;
}

const statusOf = async (ids: string[]) => (await pool.query(`SELECT status FROM ledger_entries WHERE event_id = ANY($1::uuid[])`, [ids])).rows.map((r) => r.status);

describe('the ledger submitter', () => {
  it('run until a deadline (the scheduled function): makes what is due final, keeps at it until the deadline, then returns what it did', async () => {
    const ids = await recordPending(3);
    const { chain, sent } = finalisingChain();
    const started = Date.now();
    const run = ledgerSubmitter(pool, chain, { intervalMs: 50 }).runUntil(started + 600);
    // recorded while the run is under way: the next round takes it
    await new Promise((r) => setTimeout(r, 200));
    const late = await recordPending(1);
    expect(await run).toEqual({ final: 4 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(sent.sort()).toEqual([...ids, ...late].sort());
    expect(await statusOf([...ids, ...late])).toEqual(['final', 'final', 'final', 'final']);
  });

  it('does no round at all when its deadline has passed', async () => {
    await recordPending(1);
    const { chain, sent } = finalisingChain();
    expect(await ledgerSubmitter(pool, chain).runUntil(Date.now() - 1)).toEqual({ final: 0 });
    expect(sent).toEqual([]);
    await ledgerSubmitter(pool, chain).runUntil(Date.now() + 100);
  });

  it('run with no deadline (the local runner): submits until stopped, then resolves', async () => {
    const { chain, sent } = finalisingChain();
    const submitter = ledgerSubmitter(pool, chain, { intervalMs: 20 });
    const run = submitter.runUntil();
    const ids = await recordPending(2);
    await expect.poll(() => sent.filter((id) => ids.includes(id)).length, { timeout: 5_000 }).toBe(2);
    await submitter.stop();
    expect((await run).final).toBeGreaterThanOrEqual(2);
    const after = await recordPending(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(await statusOf(after)).toEqual(['pending']);
    await ledgerSubmitter(pool, chain).runUntil(Date.now() + 100);
  });

  it('a round that throws: retried after the interval, or with failFast the end of the run', async () => {
    // a database that does not exist: every round fails to connect
    const gone = new pg.Pool({ connectionString: `${db.env.DATABASE_URL.replace(/\/[^/]*$/, '')}/cinema_no_such_database_${randomUUID().slice(0, 8)}`, max: 1 });
    gone.on('error', () => undefined);
    const { chain } = finalisingChain();
    const warnings: string[] = [];
    const log: Logger = { debug() {}, info() {}, warn: (msg) => void warnings.push(msg), error() {}, child: () => log };
    try {
      expect(await ledgerSubmitter(gone, chain, { intervalMs: 50, log }).runUntil(Date.now() + 400)).toEqual({ final: 0 });
      expect(warnings.length).toBeGreaterThanOrEqual(2);
      expect(warnings.every((w) => w === 'ledger submit round failed')).toBe(true);
      await expect(ledgerSubmitter(gone, chain, { intervalMs: 50, failFast: true, log }).runUntil(Date.now() + 60_000)).rejects.toThrow(/cinema_no_such_database/);
    } finally {
      await gone.end();
    }
  });
});
