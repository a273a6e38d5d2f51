import { z } from 'zod';
import { loadConfig } from '../../layers/core/config';
import { secp256k1Signer } from '../../blockchain-nodes/protocol';

export const ledgerConfig = loadConfig({
  // the ledger service's secp256k1 key (hex), registered as a submitter in the cluster's genesis
  LEDGER_SIGNING_KEY: z.string().regex(/^[0-9a-f]{64}$/, 'must be 32 bytes of lower-case hex'),
});

export const ledgerSigner = secp256k1Signer(ledgerConfig.LEDGER_SIGNING_KEY);
