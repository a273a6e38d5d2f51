// ledger-recorder: each money or booking fact is recorded, once, as a signed transaction
// waiting for the chain. Recording never waits for the cluster, so an outage of the chain
// loses nothing and blocks nobody; an event that can never be a fact is dead-lettered.
import { getPool } from '../../../layers/core/db';
import { consumerHandler } from '../../../layers/events/aws';
import { handleOnce } from '../../../layers/events/inbox';
import { ledgerSigner } from '../config';
import { ledgerFact } from '../facts';
import { recordFact } from '../entries';

const pool = getPool('ledger');

export const handler = consumerHandler('ledger-recorder', async (event) => {
  const fact = ledgerFact(event, ledgerSigner);
  await handleOnce(pool, 'ledger-recorder', event, (tx) => recordFact(tx, fact));
});
