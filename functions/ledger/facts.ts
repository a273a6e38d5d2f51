// Which events become ledger transactions, and what a transaction says: the fact's ids, times
// and currency in clear, its customer, seats and amount as salted commitments (disclosure.ts),
// whose openings stay with the entry for the owner's proof. A redelivery cannot write a second
// entry: the transaction id is the event id, the first entry recorded is the one kept and
// submitted (its fresh salts with it), and the chain deduplicates by id.
import { z } from 'zod';
import type { Envelope } from '../../layers/events/envelope';
import { type Signer, type Json, signTransaction, transactionShapeProblem, type Transaction } from '../../blockchain-nodes/protocol';
import { seal, type Disclosure } from './disclosure';
import { bookingCancelledData, bookingConfirmedData, paymentRefundedData, paymentSucceededData } from '../../layers/contracts/events';

export const RECORDED_TYPES = ['payment.success', 'booking.confirmed', 'booking.cancelled', 'payment.refunded'] as const;
export type RecordedType = (typeof RECORDED_TYPES)[number];

const schemas: Record<RecordedType, z.ZodType<Record<string, unknown>>> = {
  'payment.success': paymentSucceededData,
  'booking.confirmed': bookingConfirmedData,
  'booking.cancelled': bookingCancelledData,
  'payment.refunded': paymentRefundedData,
};

export interface LedgerFact {
  eventId: string;
  eventType: RecordedType;
  bookingId: string | null;
  paymentId: string;
  userId: string;
  transaction: Transaction;
  /** The clear values and salts behind the transaction's commitments: private, the owner's proof only. */
  disclosure: Disclosure;
}

export class NotALedgerFact extends Error {
  override name = 'NotALedgerFact';
}

/** The signed transaction for an event; throws NotALedgerFact for an event that can never be one. */
export function ledgerFact(event: Envelope, signer: Signer): LedgerFact {
  if (!(RECORDED_TYPES as readonly string[]).includes(event.type)) throw new NotALedgerFact(`${event.type} is not recorded on the ledger`);
  const type = event.type as RecordedType;
  const parsed = schemas[type].safeParse(event.data);
  if (!parsed.success) throw new NotALedgerFact(`${type} ${event.id} has invalid data: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const data = parsed.data as { bookingId?: string; paymentId: string; userId: string };
  const { shown, commitments, disclosure } = seal(parsed.data as Record<string, Json>);
  const transaction = signTransaction(
    { id: event.id.toLowerCase(), type, payload: { occurredAt: event.occurredAt, source: event.source, data: shown, commitments }, submitter: signer.publicKey },
    signer,
  );
  const problem = transactionShapeProblem(transaction);
  if (problem) throw new NotALedgerFact(`${type} ${event.id} makes no valid transaction: ${problem}`);
  return { eventId: transaction.id, eventType: type, bookingId: data.bookingId ?? null, paymentId: data.paymentId, userId: data.userId, transaction, disclosure };
}
