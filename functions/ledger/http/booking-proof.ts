// GET /bookings/{id}/proof: the booking's and its payment's facts as they stand on the chain,
// with inclusion proofs, headers and certificates, and the clear values and salts behind each
// fact's commitments — a file `cinema proof verify` and the explorer check offline. Ownership comes from the ledger's own copy of the facts (the booking's userId).
import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { Conflict, NotFound, Unavailable } from '../../../layers/core/errors';
import { ChainUnavailableError } from '../../../layers/chain/port';
import { log } from '../../../layers/core/log';
import { chainClientFromEnv } from '../../../layers/chain/client';
import { buildBookingProof } from '../proof';

const pool = getPool('ledger');
const chain = chainClientFromEnv();

export const handler = route({ access: 'signed-in', params: uuidParam('id') }, async ({ caller, params }) => {
  const { rows: bookingFacts } = await pool.query(`SELECT * FROM ledger_entries WHERE booking_id = $1 ORDER BY recorded_at`, [params.id]);
  const confirmed = bookingFacts.find((f) => f.event_type === 'booking.confirmed');
  if (!confirmed || (confirmed.user_id !== caller.userId && caller.role !== 'admin')) throw new NotFound('Booking on the ledger');
  const { rows: paymentFacts } = await pool.query(
    `SELECT * FROM ledger_entries WHERE payment_id = $1 AND event_type IN ('payment.success', 'payment.refunded') ORDER BY recorded_at`,
    [confirmed.payment_id],
  );
  const facts = [...paymentFacts.filter((f) => f.event_type === 'payment.success'), ...bookingFacts, ...paymentFacts.filter((f) => f.event_type !== 'payment.success')];
  const pending = facts.filter((f) => f.status !== 'final');
  if (pending.length) throw new Conflict(`Not final on the chain yet: ${pending.map((f) => f.event_type).join(', ')}; try again shortly`, { pending: pending.map((f) => f.event_type) });
  const proofs = [];
  for (const fact of facts) {
    // replicas that do not answer: a 503 the customer may retry, which replicas failed how in the log only
    const proof = await chain.proofOf(fact.event_id).catch((err) => {
      if (!(err instanceof ChainUnavailableError)) throw err;
      log.warn('the chain did not give a proof', { err, eventId: fact.event_id });
      throw new Unavailable("The ledger's replicas are not answering; try again shortly", 5);
    });
    if (!proof) throw new Conflict(`The chain has no proof yet for ${fact.event_type}; try again shortly`);
    proofs.push({ event: fact.event_type as string, proof, disclosure: fact.disclosure ?? null });
  }
  return ok(buildBookingProof(chain.chain.genesis.chainName, params.id, proofs));
});
