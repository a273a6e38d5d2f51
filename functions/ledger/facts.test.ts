import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { generateKeyPair, secp256k1Signer, verifyWithNoble, transactionSigningBytes } from '../../blockchain-nodes/protocol';
import { newEvent } from '../../layers/events/envelope';
import { ledgerFact, NotALedgerFact } from './facts';
import { commitment, openFact } from './disclosure';
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

  it('shows no customer, seat or amount on the chain: salted commitments that the disclosure opens', () => {
    const fact = ledgerFact(confirmed, signer);
    const onChain = JSON.stringify(fact.transaction);
    for (const hidden of [confirmed.data.userId, '"A1"', '1200']) expect(onChain).not.toContain(hidden);
    const payload = fact.transaction.payload as { data: Record<string, unknown>; commitments: Record<string, string> };
    expect(Object.keys(payload.commitments).sort()).toEqual(['amount', 'seats', 'userId']);
    expect(payload.data).toMatchObject({ bookingId: confirmed.data.bookingId, paymentId: confirmed.data.paymentId, currency: 'EUR' });
    expect(openFact(payload, fact.disclosure)).toEqual({ ok: true, values: { ...payload.data, userId: confirmed.data.userId, seats: ['A1'], amount: 1200 } });
    // another value, another salt, or a commitment left unopened: refused
    const { salt } = fact.disclosure.amount!;
    expect(commitment('amount', 1200, salt)).toBe(payload.commitments.amount);
    expect(openFact(payload, { ...fact.disclosure, amount: { value: 1300, salt } })).toMatchObject({ ok: false, reason: /amount does not match/ });
    expect(openFact(payload, { ...fact.disclosure, seats: { value: ['A1'], salt } })).toMatchObject({ ok: false, reason: /seats does not match/ });
    expect(openFact(payload, { userId: fact.disclosure.userId })).toMatchObject({ ok: false, reason: /does not disclose the (seats|amount)/ });
  });

  it('gives one customer\'s facts nothing in common an outsider could link: fresh salts each time', () => {
    const [a, b] = [ledgerFact(confirmed, signer), ledgerFact(structuredClone(confirmed), signer)];
    const commitmentsOf = (f: typeof a) => Object.values((f.transaction.payload as { commitments: Record<string, string> }).commitments);
    for (const c of commitmentsOf(a)) expect(commitmentsOf(b)).not.toContain(c);
    expect(a.transaction.id).toBe(b.transaction.id); // one id: the chain and the ledger keep only the first
  });

  it('keeps the tickets and what the mails tell off the public record', () => {
    const withTickets = { ...confirmed, data: { ...confirmed.data, reference: 'K7Q-4MX', tickets: [{ ticketId: randomUUID(), seat: 'A1', code: 'SECRET-CODE' }], showtime: { movieTitle: 'M', hallName: 'H', startsAt: '2030-01-01T20:00:00Z' } } };
    const fact = ledgerFact(withTickets, signer);
    // neither on the chain nor in what the proof discloses
    for (const kept of [JSON.stringify(fact.transaction), JSON.stringify(fact.disclosure)]) {
      expect(kept).not.toContain('SECRET-CODE');
      expect(kept).not.toContain('K7Q-4MX');
    }
    // the same fact as without them: the same clear fields and the same fields committed (the salts differ)
    const plain = ledgerFact(confirmed, signer);
    expect((fact.transaction.payload as any).data).toEqual((plain.transaction.payload as any).data);
    expect(Object.keys((fact.transaction.payload as any).commitments).sort()).toEqual(Object.keys((plain.transaction.payload as any).commitments).sort());
  });

  it('refuses events that can never be ledger facts', () => {
    expect(() => ledgerFact({ ...confirmed, type: 'showtime.scheduled' }, signer)).toThrow(NotALedgerFact);
    expect(() => ledgerFact({ ...confirmed, data: { ...confirmed.data, amount: 'lots' } }, signer)).toThrow(/amount/);
  });

  it('backs off from 1 s to a minute and keeps trying', () => {
    expect([1, 2, 3, 4, 7, 8, 50].map(retryDelaySeconds)).toEqual([1, 2, 4, 8, 60, 60, 60]);
  });
});
