// The envelope and the topology as data: pure, no services.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSUMERS, cinemaTopology } from '../../contracts/consumers';
import { EVENT_TYPES } from '../../contracts/events';
import { envelopeSchema, newEvent, parseEnvelope } from '../envelope';
import { bindingMatches, defineTopology, maxAttempts, queueName, queuesBoundTo, retryDelayAfter, retryQueueName } from '../topology';
import { sqsQueueName } from '../wire';

describe('event envelope', () => {
  it('newEvent fills id, version, time and correlation', () => {
    const event = newEvent('booking.confirmed', { bookingId: 'b-1' }, { source: 'booking' });
    expect(envelopeSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({ type: 'booking.confirmed', version: 1, source: 'booking', correlationId: event.id, data: { bookingId: 'b-1' } });
    const caused = newEvent('booking.rejected', {}, { source: 'booking', correlationId: event.correlationId, version: 2 });
    expect(caused).toMatchObject({ correlationId: event.id, version: 2 });
    expect(caused.id).not.toBe(event.id);
  });

  it('newEvent refuses what a consumer could not read', () => {
    expect(() => newEvent('payment.success', {}, { source: '' })).toThrow();
    expect(() => newEvent('payment.success', {}, { source: 'payment', id: 'p-1' })).toThrow();
  });

  it('says why a body is not an envelope', () => {
    expect(parseEnvelope('not json')).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
    const event = newEvent('payment.failed', { paymentId: 'p-1' }, { source: 'payment' });
    expect(parseEnvelope(JSON.stringify({ ...event, type: 'Payment Failed' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^type: /) });
    expect(parseEnvelope(JSON.stringify({ ...event, data: [1, 2] }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^data: /) });
    // Tolerant reader: a type this code does not know yet is still an event.
    expect(parseEnvelope(JSON.stringify({ ...event, type: 'gift_card.redeemed' })).ok).toBe(true);
  });

  it('survives the wire unchanged, whatever the data (property)', () => {
    // zod drops a top-level `__proto__` key from records (prototype-pollution guard); no event needs one.
    const dataKey = fc.string().filter((k) => k !== '__proto__');
    fc.assert(
      fc.property(fc.constantFrom(...EVENT_TYPES), fc.dictionary(dataKey, fc.jsonValue()), fc.string({ minLength: 1, maxLength: 100 }), (type, data, source) => {
        const event = newEvent(type, data, { source });
        const parsed = parseEnvelope(Buffer.from(JSON.stringify(event)));
        expect(parsed).toEqual({ ok: true, event: JSON.parse(JSON.stringify(event)) });
      }),
      { numRuns: 200 },
    );
  });
});

describe('topology', () => {
  it('routes each event type to the queues the product needs', () => {
    const t = cinemaTopology();
    expect(queuesBoundTo(t, 'payment.success').sort()).toEqual(['booking-payment-succeeded', 'ledger-recorder']);
    expect(queuesBoundTo(t, 'booking.cancelled').sort()).toEqual(['auth-mails', 'catalog-seat-map', 'ledger-recorder', 'payment-refunds']);
    expect(queuesBoundTo(t, 'booking.confirmed').sort()).toEqual(['auth-mails', 'catalog-seat-map', 'ledger-recorder']);
    expect(queuesBoundTo(t, 'booking.rejected')).toEqual(['payment-refunds']);
    expect(queuesBoundTo(t, 'showtime.cancelled')).toEqual(['booking-showtimes']);
    expect(queuesBoundTo(t, 'payment.failed')).toEqual(['auth-mails']);
    expect(t.exchange).toBe('cinema.events');
    expect(t.deadLetterExchange).toBe('cinema.events.dlx');
    expect(Object.values(CONSUMERS).flatMap((c) => c.bindings).every((type) => (EVENT_TYPES as readonly string[]).includes(type))).toBe(true);
  });

  it('prefixes every broker-side name, so tests and stages stay apart', () => {
    const t = cinemaTopology({ prefix: 'staging-' });
    expect([t.exchange, t.deadLetterExchange, queueName(t, 'ledger-recorder')]).toEqual(['staging-cinema.events', 'staging-cinema.events.dlx', 'staging-ledger-recorder']);
    expect(() => queueName(t, 'box-office')).toThrow(/Unknown queue/);
    expect(() => cinemaTopology({ prefix: 'has space' })).toThrow(/prefix/);
  });

  it('bounds retries: one attempt more than delays, then none', () => {
    const t = cinemaTopology({ retryDelaysMs: [500, 2_000] });
    expect(maxAttempts(t)).toBe(3);
    expect([1, 2, 3].map((a) => retryDelayAfter(t, a))).toEqual([500, 2_000, undefined]);
    expect(retryQueueName('ledger-recorder', 500)).toBe('ledger-recorder.retry.500ms');
    expect(retryQueueName('ledger-recorder', 60_000)).toBe('ledger-recorder.retry.60s');
    expect(sqsQueueName('staging-ledger-recorder.dlq')).toBe('staging-ledger-recorder-dlq');
  });

  it('matches bindings the way an AMQP topic exchange does', () => {
    const cases: [string, string, boolean][] = [
      ['booking.confirmed', 'booking.confirmed', true],
      ['booking.*', 'booking.confirmed', true],
      ['booking.*', 'booking', false],
      ['booking.*', 'booking.seat.released', false],
      ['booking.#', 'booking', true],
      ['booking.#', 'booking.seat.released', true],
      ['#', 'payment.success', true],
      ['*.cancelled', 'showtime.cancelled', true],
      ['#.cancelled', 'a.b.cancelled', true],
      ['payment.success', 'payment.successful', false],
    ];
    for (const [pattern, key, expected] of cases) expect(bindingMatches(pattern, key), `${pattern} ~ ${key}`).toBe(expected);
  });

  it('refuses a queue bound to nothing', () => {
    expect(() => defineTopology({ 'box-office': [] })).toThrow(/bound to no event type/);
  });
});
