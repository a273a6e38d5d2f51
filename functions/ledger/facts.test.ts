import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { generateKeyPair, secp256k1Signer, verifyWithNoble, transactionSigningBytes } from '../../blockchain-nodes/protocol';
import { newEvent } from '../../layers/events/envelope';
import { ledgerFact, NotALedgerFact } from './facts';
import { retryDelaySeconds } from './entries';

const signer = secp256k1Signer(generateKeyPair().secretKey);
const confirmed = newEvent(
  'booking.confirmed',
  { bookingId: randomUUID(), paymentId: randomUUID(), checkoutId: randomUUID(), userId: randomUUID(), showtimeId: randomUUID(), seats: ['A1'], amount: 1200, currency: 'EUR' },
  { source: 'booking' },
);

describe('ledger facts', () => {
  it('turns a booking into a transaction signed by the ledger, keyed by the event id', () => {
    const fact = ledgerFact(confirmed, signer);
    expect(fact.transaction.id).toBe(confirmed.id);
    expect(fact.transaction.type).toBe('booking.confirmed');
    expect(fact.transaction.submitter).toBe(signer.publicKey);
    expect(fact.bookingId).toBe(confirmed.data.bookingId);
    expect(verifyWithNoble(signer.publicKey, transactionSigningBytes(fact.transaction), fact.transaction.signature)).toBe(true);
  });

  it('makes the same transaction from the same event, so a redelivery is one entry', () => {
    expect(ledgerFact(confirmed, signer).transaction).toEqual(ledgerFact(structuredClone(confirmed), signer).transaction);
  });

  it('keeps the tickets and what the mails tell off the public record', () => {
    const withTickets = { ...confirmed, data: { ...confirmed.data, reference: 'K7Q-4MX', tickets: [{ ticketId: randomUUID(), seat: 'A1', code: 'SECRET-CODE' }], showtime: { movieTitle: 'M', hallName: 'H', startsAt: '2030-01-01T20:00:00Z' } } };
    const recorded = JSON.stringify(ledgerFact(withTickets, signer).transaction);
    expect(recorded).not.toContain('SECRET-CODE');
    expect(recorded).not.toContain('K7Q-4MX');
    expect(ledgerFact(withTickets, signer).transaction).toEqual(ledgerFact(confirmed, signer).transaction);
  });

  it('refuses events that can never be ledger facts', () => {
    expect(() => ledgerFact({ ...confirmed, type: 'showtime.scheduled' }, signer)).toThrow(NotALedgerFact);
    expect(() => ledgerFact({ ...confirmed, data: { ...confirmed.data, amount: 'lots' } }, signer)).toThrow(/amount/);
  });

  it('backs off from 1 s to a minute and keeps trying', () => {
    expect([1, 2, 3, 4, 7, 8, 50].map(retryDelaySeconds)).toEqual([1, 2, 4, 8, 60, 60, 60]);
  });
});
