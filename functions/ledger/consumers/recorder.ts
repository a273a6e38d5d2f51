// ledger-recorder: each money or booking fact is recorded, once, as a signed transaction
// waiting for the chain. Recording never waits for the cluster, so an outage of the chain
// loses nothing and blocks nobody; an event that can never be a fact is dead-lettered.
import { getPool } from '../../../layers/core/db';
import type { ConsumerQueue } from '../../../layers/contracts/consumers';
import { consumerHandler } from '../../../layers/contracts/consumer-handler';
import { handleOnce } from '../../../layers/events/inbox';
import { ledgerSigner } from '../config';
import { ledgerFact } from '../facts';
import { recordFact } from '../entries';

const queue: ConsumerQueue = 'ledger-recorder';
const pool = getPool('ledger');

export const handler = consumerHandler(queue, async (event) => {
  const fact = ledgerFact(event, ledgerSigner);
  await handleOnce(pool, queue, event, (tx) => recordFact(tx, fact));
});
