// Deployed, a schedule runs this every minute: it makes recorded facts final on the chain
// for most of the minute, then hands over to the next run. Locally the event runner runs the
// same submitter until it stops.
import { getPool } from '../../../layers/core/db';
import { log } from '../../../layers/core/log';
import { chainClientFromEnv } from '../../../layers/chain/client';
import { ledgerSubmitter } from '../entries';

const submitter = ledgerSubmitter(getPool('ledger'), chainClientFromEnv(), { intervalMs: 1_000, timeoutMs: 8_000, failFast: true, log });

/** Room left at the end of the invocation for the round in progress (its timeout is 8 s). */
const HANDOVER_MS = 15_000;

export async function handler(_event: unknown, context?: { getRemainingTimeInMillis?: () => number }) {
  return submitter.runUntil(Date.now() + (context?.getRemainingTimeInMillis?.() ?? 0) - HANDOVER_MS);
}
