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
    responses: { 200: { description: 'The proof', body: bookingProof }, 404: refusal('No such booking of mine on the ledger'), 409: refusal('Not final on the chain yet: try again shortly') },
  },
};
