// Deployed, a schedule runs this every minute: it makes recorded facts final on the chain
// for most of the minute, then hands over to the next run. (Locally the event runner keeps
// a submitter running instead.)
import { getPool } from '../../../layers/core/db';
import { log } from '../../../layers/core/log';
import { chainClientFromEnv } from '../../../layers/chain/client';
import { submitDue } from '../entries';

const pool = getPool('ledger');
const chain = chainClientFromEnv();

export async function handler(_event: unknown, context?: { getRemainingTimeInMillis?: () => number }) {
  const left = () => context?.getRemainingTimeInMillis?.() ?? 0;
  let final = 0;
  while (left() > 15_000) {
    const round = await submitDue(pool, chain, { log, timeoutMs: 8_000 });
    final += round.final;
    if (round.final + round.failed + round.rejected === 0 || round.failed > 0) await new Promise((r) => setTimeout(r, 1_000));
  }
  return { final };
}
