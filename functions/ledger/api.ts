// The ledger's routes as the API description tells them (infra/openapi builds the document).
import { z } from 'zod';
import { refusal, type ApiDocs } from '../../layers/core/http/api-doc';

// Its parts are the chain's own format (blockchain-nodes); `cinema proof verify` checks them.
const bookingProof = z
  .looseObject({
    format: z.string(),
    chainName: z.string().describe('The chain’s name, from its genesis'),
    bookingId: z.string(),
    generatedAt: z.string(),
    facts: z.array(z.looseObject({ event: z.string().describe('payment.success, booking.confirmed, …'), proof: z.looseObject({}).describe('The transaction, its inclusion proof, the block header and its commit certificate') })),
  })
  .meta({ id: 'BookingProof', description: 'What the chain holds of a booking and its payment, to check offline with nothing but the genesis' });

export const api: ApiDocs = {
  bookingProof: {
    tag: 'Ledger',
    summary: 'My booking’s proof from the ledger (a file to verify offline)',
    responses: {
      200: { description: 'The proof', body: bookingProof },
      404: refusal('No such booking of mine on the ledger'),
      409: refusal('Not final on the chain yet: try again shortly'),
      503: { ...refusal('The ledger’s replicas are not answering: try again after Retry-After (`unavailable`)'), headers: { 'retry-after': 'Seconds to wait' } },
    },
  },
  ledgerGenesis: {
    tag: 'Ledger',
    summary: 'The ledger cluster’s genesis: what the chain and every booking proof verify against',
    description: 'The same document each replica serves at GET /genesis. Compare its hash with one you got another way before you trust it.',
    responses: { 200: { description: 'The genesis (replicas and their public keys, submitters, rules)', body: z.looseObject({ chainName: z.string(), createdAt: z.number(), replicas: z.array(z.looseObject({ id: z.number().int(), address: z.string(), publicKey: z.string() })), submitters: z.array(z.looseObject({ name: z.string(), publicKey: z.string() })) }) } },
  },
};
