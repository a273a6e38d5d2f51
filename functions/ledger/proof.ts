// A booking's proof: everything its owner needs to show, offline and trusting no replica,
// that the booking and its payment are on the chain unaltered — each fact's signed
// transaction, its Merkle inclusion path, the block header and the block's commit
// certificate, checked against the genesis keys only — and that the commitments on the chain
// hold the owner's own values (user id, seats, amount): the clear values and their salts come
// with each fact. `cinema proof verify` and the web app's explorer run this same module (no
// Node modules in it).
import { chainOf, verifyTransactionProof, type Genesis, type TransactionProof } from '../../blockchain-nodes/verifier';
import { openFact, type Disclosure } from './disclosure';

export const PROOF_FORMAT = 'cinema-booking-proof/2';

export interface BookingProof {
  format: typeof PROOF_FORMAT;
  chainName: string;
  bookingId: string;
  generatedAt: string;
  /** payment.success, booking.confirmed, and later facts (booking.cancelled, payment.refunded) */
  facts: { event: string; proof: TransactionProof; disclosure: Disclosure | null }[];
}

/** One fact as the verdict tells it: where it is on the chain, and which replicas committed its block. */
export interface ProvenFact {
  event: string;
  transactionId: string;
  height: number;
  blockHash: string;
  committedAt: number;
  signers: { replica: number; address: string }[];
}

export interface ProvenBooking {
  bookingId: string;
  paymentId: string;
  userId: string;
  showtimeId: string;
  seats: string[];
  amount: number;
  currency: string;
  chainName: string;
  replicas: number;
  facts: ProvenFact[];
}

export type ProofVerdict = { ok: true; checked: string[]; booking: ProvenBooking } | { ok: false; reason: string };

export function verifyBookingProof(genesis: Genesis, file: unknown): ProofVerdict {
  const proof = file as BookingProof;
  if (typeof proof !== 'object' || proof === null || proof.format !== PROOF_FORMAT || !Array.isArray(proof.facts)) {
    return { ok: false, reason: `not a ${PROOF_FORMAT} file` };
  }
  if (proof.chainName !== genesis.chainName) return { ok: false, reason: `the proof is for chain "${proof.chainName}", the genesis is "${genesis.chainName}"` };
  const chain = chainOf(genesis);
  const checked: string[] = [];
  const facts: (ProvenFact & { values: Record<string, unknown> })[] = [];
  for (const [i, fact] of proof.facts.entries()) {
    const verdict = verifyTransactionProof(chain, fact?.proof);
    if (!verdict.ok) return { ok: false, reason: `fact ${i} (${fact?.event}): ${verdict.reason}` };
    if (fact.proof.transaction.type !== fact.event) return { ok: false, reason: `fact ${i}: labelled ${fact.event} but the transaction is ${fact.proof.transaction.type}` };
    const opened = openFact(fact.proof.transaction.payload, fact.disclosure);
    if (!opened.ok) return { ok: false, reason: `fact ${i} (${fact.event}): ${opened.reason}` };
    const { header, certificate } = fact.proof;
    checked.push(`${fact.event} ${fact.proof.transaction.id} at height ${header.height}, its commitments opened by the proof's values`);
    facts.push({
      event: fact.event,
      transactionId: fact.proof.transaction.id,
      height: header.height,
      blockHash: certificate.blockHash,
      committedAt: header.timestamp,
      signers: certificate.commits.map((c) => ({ replica: c.replica, address: genesis.replicas[c.replica].address })),
      values: opened.values,
    });
  }
  // The facts must be about this booking and tie together: the booking names its payment.
  const booking = facts.find((f) => f.event === 'booking.confirmed');
  const payment = facts.find((f) => f.event === 'payment.success');
  if (!booking || !payment) return { ok: false, reason: 'the proof must hold the booking.confirmed and payment.success facts' };
  const b = booking.values;
  const p = payment.values;
  if (b.bookingId !== proof.bookingId) return { ok: false, reason: `the booking fact is for booking ${String(b.bookingId)}, not ${proof.bookingId}` };
  if (b.paymentId !== p.paymentId) return { ok: false, reason: 'the booking and the payment facts name different payments' };
  if (b.amount !== p.amount || b.currency !== p.currency) return { ok: false, reason: 'the booking and its payment disagree on the amount' };
  if (JSON.stringify(b.seats) !== JSON.stringify(p.seats)) return { ok: false, reason: 'the booking and its payment disagree on the seats' };
  for (const f of facts) {
    const d = f.values;
    if (d.bookingId !== undefined && d.bookingId !== proof.bookingId) return { ok: false, reason: `${f.event} is about another booking` };
    if (d.paymentId !== b.paymentId) return { ok: false, reason: `${f.event} is about another payment` };
    if (d.userId !== b.userId) return { ok: false, reason: `${f.event} is about another customer` };
  }
  return {
    ok: true,
    checked,
    booking: {
      bookingId: proof.bookingId,
      paymentId: String(b.paymentId),
      userId: String(b.userId),
      showtimeId: String(b.showtimeId),
      seats: b.seats as string[],
      amount: b.amount as number,
      currency: String(b.currency),
      chainName: genesis.chainName,
      replicas: chain.n,
      facts: facts.map(({ values: _values, ...f }) => f),
    },
  };
}

export function buildBookingProof(chainName: string, bookingId: string, facts: BookingProof['facts']): BookingProof {
  return { format: PROOF_FORMAT, chainName, bookingId, generatedAt: new Date().toISOString(), facts };
}

const FACT_NAMES: Record<string, string> = {
  'payment.success': 'the payment',
  'booking.confirmed': 'the booking',
  'booking.cancelled': 'its cancellation',
  'payment.refunded': 'the refund',
};

/** A verified proof in plain words: which booking, which payment, which blocks, signed by which replicas. */
export function provenBookingInWords(b: ProvenBooking): string[] {
  const price = `${(b.amount / 100).toFixed(2)} ${b.currency}`;
  return [
    `Booking ${b.bookingId}, seats ${b.seats.join(', ')}, ${price}, paid by payment ${b.paymentId}, customer ${b.userId}.`,
    ...b.facts.map(
      (f) =>
        `${FACT_NAMES[f.event] ?? f.event} (${f.event}) is in block ${f.height} of chain "${b.chainName}", committed ${new Date(f.committedAt).toISOString()} ` +
        `and signed by replicas ${f.signers.map((s) => s.replica).join(', ')} of ${b.replicas}.`,
    ),
  ];
}
