// Event signatures: who published an event, checked before anything acts on it. Pure, no services.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PublishError } from '../bus';
import { newEvent, parseEnvelope, type Envelope } from '../envelope';
import { canonicalJson, eventSigner, eventVerifier, generateEventKey, keyIdOf, publicKeyOf, signingPublisher } from '../signature';

const payment = generateEventKey();
const booking = generateEventKey();
const stranger = generateEventKey();

const PUBLISHERS: Record<string, string> = { 'payment.success': 'payment', 'booking.confirmed': 'booking' };
const verifier = (publicKeys: Record<string, string[]> = { payment: [payment.publicKey], booking: [booking.publicKey] }) =>
  eventVerifier({ publisherOf: (type) => PUBLISHERS[type], publicKeys });

const paymentSucceeded = (data: Record<string, unknown> = { paymentId: crypto.randomUUID(), amount: 2400, seats: ['C5', 'C6'] }) =>
  newEvent('payment.success', data, { source: 'payment' });

/** The event as a consumer reads it off the wire. */
const overTheWire = (event: Envelope): Envelope => {
  const parsed = parseEnvelope(Buffer.from(JSON.stringify(event)));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.event;
};

const refusal = (event: Envelope, check = verifier()) => {
  const verdict = check(event);
  return verdict.ok ? 'accepted' : verdict.reason;
};

describe('event signatures', () => {
  it('a genuine event verifies as it arrives, whatever order its keys travelled in', () => {
    const signed = eventSigner('payment', payment.signingKey).sign(paymentSucceeded());
    expect(signed.signature).toEqual({ keyId: keyIdOf(payment.publicKey), value: expect.stringMatching(/^[A-Za-z0-9+/]{86}==$/) });
    expect(refusal(overTheWire(signed))).toBe('accepted');
    const reversed = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const reordered = { ...reversed(signed), data: reversed(signed.data) } as Envelope;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(signed));
    expect(refusal(overTheWire(reordered))).toBe('accepted');
  });

  it('replayed unchanged, a genuine event still verifies: the consumers\' inbox is what applies it once', () => {
    const signed = overTheWire(eventSigner('payment', payment.signingKey).sign(paymentSucceeded()));
    expect([refusal(signed), refusal(signed), refusal(structuredClone(signed))]).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('refuses an event whose data was altered after signing', () => {
    const signed = eventSigner('payment', payment.signingKey).sign(paymentSucceeded());
    expect(refusal({ ...signed, data: { ...signed.data, amount: 0 } })).toMatch(/does not verify under payment's key/);
    expect(refusal({ ...signed, data: { ...signed.data, seats: ['C5', 'C6', 'C7'] } })).toMatch(/does not verify/);
    expect(refusal({ ...signed, data: { ...signed.data, note: 'extra' } })).toMatch(/does not verify/);
  });

  it('refuses an event with any envelope field altered (property)', () => {
    const signed = eventSigner('payment', payment.signingKey).sign(paymentSucceeded());
    const alterations: [string, (e: Envelope) => Envelope][] = [
      ['id', (e) => ({ ...e, id: crypto.randomUUID() })],
      ['version', (e) => ({ ...e, version: e.version + 1 })],
      ['occurredAt', (e) => ({ ...e, occurredAt: new Date(Date.parse(e.occurredAt) + 1).toISOString() })],
      ['correlationId', (e) => ({ ...e, correlationId: crypto.randomUUID() })],
      ['signature', (e) => ({ ...e, signature: { ...e.signature!, value: Buffer.alloc(64, 7).toString('base64') } })],
    ];
    for (const [field, alter] of alterations) expect(refusal(alter(signed)), field).toMatch(/does not verify/);
    fc.assert(
      fc.property(fc.dictionary(fc.string().filter((k) => k !== '__proto__'), fc.jsonValue()), fc.jsonValue(), (data, tampered) => {
        const genuine = eventSigner('payment', payment.signingKey).sign(paymentSucceeded(data));
        expect(refusal(overTheWire(genuine))).toBe('accepted');
        const altered = { ...genuine, data: { ...genuine.data, tampered } };
        if (canonicalJson(altered.data) !== canonicalJson(genuine.data)) expect(refusal(overTheWire(altered))).toMatch(/does not verify/);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses an event signed by a key that is not its source domain\'s', () => {
    // the attacker's own key, named as such
    expect(refusal(eventSigner('payment', stranger.signingKey).sign(paymentSucceeded()))).toMatch(/signed with key [0-9a-f]{16}, which is not a key of payment/);
    // the attacker's signature under payment's key id
    const forged = eventSigner('payment', stranger.signingKey).sign(paymentSucceeded());
    expect(refusal({ ...forged, signature: { ...forged.signature, keyId: keyIdOf(payment.publicKey) } })).toMatch(/does not verify under payment's key/);
    // another domain's genuine key, its signature moved onto payment's event
    const bookingSigned = eventSigner('booking', booking.signingKey).sign(newEvent('booking.confirmed', { bookingId: crypto.randomUUID() }, { source: 'booking' }));
    expect(refusal({ ...paymentSucceeded(), signature: bookingSigned.signature })).toMatch(/not a key of payment/);
  });

  it('refuses a type from a source that does not publish it, even when that source signed it', () => {
    const claimed = newEvent('payment.success', { paymentId: crypto.randomUUID(), amount: 1 }, { source: 'booking' });
    expect(refusal(eventSigner('booking', booking.signingKey).sign(claimed))).toBe('payment.success is published by payment, but this event names booking as its source');
  });

  it('refuses an unsigned event, and a type whose publisher the consumer does not know', () => {
    expect(refusal(overTheWire(paymentSucceeded()))).toBe("unsigned: payment's events carry its signature, this one none");
    const unknown = eventSigner('payment', payment.signingKey).sign(newEvent('payment.disputed', {}, { source: 'payment' }));
    expect(refusal(unknown)).toMatch(/payment\.disputed is not an event type this consumer knows the publisher of/);
  });

  it('a consumer holding no key of the publisher refuses its events; several keys of one domain all verify (a key being replaced)', () => {
    const signed = eventSigner('payment', payment.signingKey).sign(paymentSucceeded());
    expect(refusal(signed, verifier({ booking: [booking.publicKey] }))).toBe('this consumer holds no key of payment');
    const next = generateEventKey();
    const both = verifier({ payment: [payment.publicKey, next.publicKey] });
    expect(refusal(signed, both)).toBe('accepted');
    expect(refusal(eventSigner('payment', next.signingKey).sign(paymentSucceeded()), both)).toBe('accepted');
  });

  it('a domain signs only its own events; the signing publisher turns a refusal into a PublishError (the outbox row stays unsent)', async () => {
    const signer = eventSigner('payment', payment.signingKey);
    expect(() => signer.sign(newEvent('booking.confirmed', {}, { source: 'booking' }))).toThrow(/payment signs only its own events/);
    const published: Envelope[] = [];
    const bus = signingPublisher(signer, { publish: async (event) => void published.push(event) });
    await bus.publish(paymentSucceeded());
    expect(refusal(overTheWire(published[0]))).toBe('accepted');
    await expect(bus.publish(newEvent('booking.confirmed', {}, { source: 'booking' }))).rejects.toBeInstanceOf(PublishError);
    expect(published).toHaveLength(1);
  });

  it('keys are 32 bytes base64; a wrong length is refused by name', () => {
    expect(Buffer.from(payment.signingKey, 'base64')).toHaveLength(32);
    expect(publicKeyOf(payment.signingKey)).toBe(payment.publicKey);
    expect(() => eventSigner('payment', Buffer.alloc(16).toString('base64'))).toThrow(/an event signing key must be 32 bytes, base64/);
    expect(() => verifier({ payment: ['not a key'] })).toThrow(/an event public key must be 32 bytes, base64/);
  });

  it('the canonical encoding ignores key order and nothing else', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: null, c: 'x' }] })).toBe('{"a":[1,{"c":"x","d":null}],"b":1}');
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});
