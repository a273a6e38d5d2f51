// A booking's proof: everything an auditor needs to check, offline and trusting no replica,
// that the booking and its payment are on the chain unaltered — each fact's signed
// transaction, its Merkle inclusion path, the block header and the block's commit
// certificate. Checked against the genesis keys only.
import { type Genesis, verifyTransactionProof, type TransactionProof } from '../../blockchain-nodes/protocol';

export const PROOF_FORMAT = 'cinema-booking-proof/1';

export interface BookingProof {
  format: typeof PROOF_FORMAT;
  chainName: string;
  bookingId: string;
  generatedAt: string;
  /** payment.success, booking.confirmed, and later facts (booking.cancelled, payment.refunded) */
  facts: { event: string; proof: TransactionProof }[];
}

export type ProofVerdict = { ok: true; checked: string[] } | { ok: false; reason: string };

const dataOf = (p: TransactionProof) => ((p.transaction.payload as { data?: Record<string, unknown> })?.data ?? {}) as Record<string, unknown>;

export function verifyBookingProof(genesis: Genesis, file: unknown): ProofVerdict {
  const proof = file as BookingProof;
  if (typeof proof !== 'object' || proof === null || proof.format !== PROOF_FORMAT || !Array.isArray(proof.facts)) {
    return { ok: false, reason: `not a ${PROOF_FORMAT} file` };
  }
  if (proof.chainName !== genesis.chainName) return { ok: false, reason: `the proof is for chain "${proof.chainName}", the genesis is "${genesis.chainName}"` };
  const checked: string[] = [];
  for (const [i, fact] of proof.facts.entries()) {
    const verdict = verifyTransactionProof(genesis, fact?.proof);
    if (!verdict.ok) return { ok: false, reason: `fact ${i} (${fact?.event}): ${verdict.reason}` };
    if (fact.proof.transaction.type !== fact.event) return { ok: false, reason: `fact ${i}: labelled ${fact.event} but the transaction is ${fact.proof.transaction.type}` };
    checked.push(`${fact.event} ${fact.proof.transaction.id} at height ${fact.proof.header.height}`);
  }
  // The facts must be about this booking and tie together: the booking names its payment.
  const booking = proof.facts.find((f) => f.event === 'booking.confirmed');
  const payment = proof.facts.find((f) => f.event === 'payment.success');
  if (!booking || !payment) return { ok: false, reason: 'the proof must hold the booking.confirmed and payment.success facts' };
  const b = dataOf(booking.proof);
  const p = dataOf(payment.proof);
  if (b.bookingId !== proof.bookingId) return { ok: false, reason: `the booking fact is for booking ${String(b.bookingId)}, not ${proof.bookingId}` };
  if (b.paymentId !== p.paymentId) return { ok: false, reason: 'the booking and the payment facts name different payments' };
  if (b.amount !== p.amount || b.currency !== p.currency) return { ok: false, reason: 'the booking and its payment disagree on the amount' };
  for (const f of proof.facts) {
    const d = dataOf(f.proof);
    if (d.bookingId !== undefined && d.bookingId !== proof.bookingId) return { ok: false, reason: `${f.event} is about another booking` };
    if (d.paymentId !== b.paymentId) return { ok: false, reason: `${f.event} is about another payment` };
  }
  return { ok: true, checked };
}

export function buildBookingProof(chainName: string, bookingId: string, facts: { event: string; proof: TransactionProof }[]): BookingProof {
  return { format: PROOF_FORMAT, chainName, bookingId, generatedAt: new Date().toISOString(), facts };
}
