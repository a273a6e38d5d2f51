// The cinema's event keys: which keys each consumer holds and what it refuses. No services.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config';
import { newEvent } from '../../events/envelope';
import { generateEventKey } from '../../events/signature';
import { CONSUMER_QUEUES } from '../consumers';
import { consumerAuthenticator, generateEventKeySettings, publicKeySettings, publishersFor, relaySigner } from '../event-keys';
import { bookingConfirmed, paymentSucceeded } from '../events';

const keys = generateEventKeySettings();
const paid = () =>
  paymentSucceeded({ paymentId: crypto.randomUUID(), checkoutId: crypto.randomUUID(), userId: crypto.randomUUID(), showtimeId: crypto.randomUUID(), seats: ['A1'], amount: 1200, currency: 'EUR', provider: 'test' });

describe('event keys', () => {
  it('a consumer needs only the public keys of the domains whose events it takes, and fails at load naming a missing one', () => {
    expect(Object.fromEntries(CONSUMER_QUEUES.map((q) => [q, publishersFor(q)]))).toEqual({
      'catalog-seat-map': ['booking'],
      'booking-payment-succeeded': ['payment'],
      'booking-showtimes': ['catalog'],
      'payment-refunds': ['booking'],
      'auth-mails': ['booking', 'payment'],
      'ledger-recorder': ['payment', 'booking'],
    });
    expect(() => consumerAuthenticator('booking-payment-succeeded', { EVENT_PUBLIC_KEY_PAYMENT: keys.EVENT_PUBLIC_KEY_PAYMENT })).not.toThrow();
    expect(() => consumerAuthenticator('booking-payment-succeeded', { EVENT_PUBLIC_KEY_BOOKING: keys.EVENT_PUBLIC_KEY_BOOKING })).toThrow(ConfigError);
    expect(() => consumerAuthenticator('ledger-recorder', { EVENT_PUBLIC_KEY_PAYMENT: keys.EVENT_PUBLIC_KEY_PAYMENT, EVENT_PUBLIC_KEY_BOOKING: '' })).toThrow(/EVENT_PUBLIC_KEY_BOOKING: .*32 bytes/);
    expect(() => relaySigner('payment', {})).toThrow(/EVENT_SIGNING_KEY_PAYMENT/);
    expect(Object.keys(publicKeySettings(keys)).sort()).toEqual(['EVENT_PUBLIC_KEY_BOOKING', 'EVENT_PUBLIC_KEY_CATALOG', 'EVENT_PUBLIC_KEY_PAYMENT']);
  });

  it('booking takes payment.success signed by payment\'s relay, and nothing booking or catalog signed in payment\'s name', () => {
    const accepts = consumerAuthenticator('booking-payment-succeeded', keys);
    expect(accepts(relaySigner('payment', keys).sign(paid()))).toEqual({ ok: true });
    expect(accepts(paid())).toMatchObject({ ok: false, reason: expect.stringMatching(/^unsigned/) });
    const asBooking = { ...paid(), source: 'booking' };
    expect(accepts(relaySigner('booking', keys).sign(asBooking))).toMatchObject({ ok: false, reason: 'payment.success is published by payment, but this event names booking as its source' });
    // booking's genuine event, on a queue it is not bound to: its publisher's key is not held there
    const confirmed = relaySigner('booking', keys).sign(
      bookingConfirmed({ bookingId: crypto.randomUUID(), paymentId: crypto.randomUUID(), checkoutId: crypto.randomUUID(), userId: crypto.randomUUID(), showtimeId: crypto.randomUUID(), seats: ['A1'], amount: 1, currency: 'EUR' }),
    );
    expect(accepts(confirmed)).toEqual({ ok: false, reason: 'this consumer holds no key of booking' });
    expect(consumerAuthenticator('catalog-seat-map', keys)(confirmed)).toEqual({ ok: true });
    // a new type, unknown to the contracts
    expect(accepts(relaySigner('payment', keys).sign(newEvent('payment.disputed', {}, { source: 'payment' })))).toMatchObject({ ok: false });
  });

  it('a key being replaced: the old and the new public key, comma-separated, both verify', () => {
    const next = generateEventKey();
    const accepts = consumerAuthenticator('booking-payment-succeeded', { EVENT_PUBLIC_KEY_PAYMENT: `${keys.EVENT_PUBLIC_KEY_PAYMENT}, ${next.publicKey}` });
    expect(accepts(relaySigner('payment', keys).sign(paid()))).toEqual({ ok: true });
    expect(accepts(relaySigner('payment', { EVENT_SIGNING_KEY_PAYMENT: next.signingKey }).sign(paid()))).toEqual({ ok: true });
  });
});
