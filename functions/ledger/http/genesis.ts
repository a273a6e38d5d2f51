// GET /ledger/genesis: the cluster's genesis document as the replicas hold it (a file
// `cinema chain verify --genesis` takes) — its replicas' and submitters' public keys and
// rules — which is all an auditor needs to verify the chain or a booking's proof trusting no
// replica. Public by design; an auditor should still compare it with one got another way
// (a replica's GET /genesis, the operator's published file): whoever serves the genesis
// decides what counts as valid.
import { route, ok } from '../../../layers/core/http';
import { chainClientFromEnv } from '../../../layers/chain/client';

const { genesis } = chainClientFromEnv().chain;

export const handler = route({ access: 'public' }, async () => ok(genesis));
