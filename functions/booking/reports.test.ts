// The reports' pure parts: the reconciliation's rules one by one, and the CSV's quoting.
import { describe, expect, it } from 'vitest';
import { csvField, reconcile, showtimeFigures, sumFigures, type BookingForReconciliation } from './reports';
import type { TakenPayment } from '../../layers/contracts/calls';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const LONG_AGO = '2026-12-01T10:00:00.000Z';
const JUST_NOW = '2026-12-01T11:59:30.000Z';
const booking = (over: Partial<BookingForReconciliation> = {}): BookingForReconciliation => ({
  id: 'b1', paymentId: 'p1', checkoutId: 'c1', showtimeId: 's1', amount: 2000, currency: 'EUR', status: 'confirmed', createdAt: LONG_AGO, cancelledAt: null, ...over,
});
const payment = (over: Partial<TakenPayment> = {}): TakenPayment => ({
  id: 'p1', checkoutId: 'c1', showtimeId: 's1', amount: 2000, currency: 'EUR', status: 'succeeded', refundAmount: null, updatedAt: LONG_AGO, ...over,
});
const kinds = (r: ReturnType<typeof reconcile>) => r.disagreements.map((d) => d.kind);

describe('reconcile', () => {
  it('agrees when each booking has its payment, a cancelled one its refund, a rejected checkout its refund', () => {
    const r = reconcile(
      [booking(), booking({ id: 'b2', paymentId: 'p2', checkoutId: 'c2', status: 'cancelled', cancelledAt: LONG_AGO })],
      new Set(['c3']),
      [payment(), payment({ id: 'p2', checkoutId: 'c2', status: 'refunded', refundAmount: 2000 }), payment({ id: 'p3', checkoutId: 'c3', status: 'refunded', refundAmount: 2000 })],
      NOW,
      120_000,
    );
    expect(r).toMatchObject({ agree: true, disagreements: [], settling: [], bookings: 2, payments: 3 });
  });
  it('names each kind of disagreement', () => {
    expect(kinds(reconcile([booking()], new Set(), [], NOW, 120_000))).toEqual(['booking-without-payment']);
    expect(kinds(reconcile([booking()], new Set(), [payment({ amount: 2100 })], NOW, 120_000))).toEqual(['amount-differs']);
    expect(kinds(reconcile([booking()], new Set(), [payment({ status: 'refunded', refundAmount: 2000 })], NOW, 120_000))).toEqual(['booking-payment-refunded']);
    expect(kinds(reconcile([booking({ status: 'cancelled', cancelledAt: LONG_AGO })], new Set(), [payment()], NOW, 120_000))).toEqual(['cancelled-not-refunded']);
    expect(kinds(reconcile([], new Set(), [payment()], NOW, 120_000))).toEqual(['payment-without-booking']);
    expect(kinds(reconcile([], new Set(), [payment({ status: 'refunded', refundAmount: 2000 })], NOW, 120_000))).toEqual(['payment-without-booking']);
    expect(kinds(reconcile([booking({ status: 'cancelled' })], new Set(), [payment({ status: 'refunded', refundAmount: 1500 })], NOW, 120_000))).toEqual(['refund-differs']);
  });
  it('counts what events are still carrying as settling, not as a disagreement', () => {
    const r = reconcile([booking({ status: 'cancelled', cancelledAt: JUST_NOW })], new Set(), [payment(), payment({ id: 'p9', checkoutId: 'c9', updatedAt: JUST_NOW })], NOW, 120_000);
    expect(r.agree).toBe(true);
    expect(r.settling.map((d) => d.kind)).toEqual(['cancelled-not-refunded', 'payment-without-booking']);
  });
});

describe('the figures', () => {
  const seats = { showtimeId: 's1', movieId: 'm1', movieTitle: 'M', hallName: 'H', startsAt: LONG_AGO, day: '2026-12-01', status: 'scheduled' as const, currency: 'EUR', capacity: 40, sold: 10, held: 3, blocked: 2, bookings: 4, sales: 12000, checkedIn: 6 };
  it('join seats and money, and add up with occupancy from the sums', () => {
    const a = showtimeFigures(seats, { showtimeId: 's1', currency: 'EUR', gross: 15000, refunds: 3000, payments: 5, refunded: 1 });
    expect(a).toMatchObject({ free: 25, occupancy: 25, gross: 15000, refunds: 3000, net: 12000 });
    const b = showtimeFigures({ ...seats, status: 'cancelled', sold: 0, held: 0, blocked: 0, bookings: 0, sales: 0, checkedIn: 1 }, { showtimeId: 's1', currency: 'EUR', gross: 5000, refunds: 5000, payments: 2, refunded: 2 });
    expect(b).toMatchObject({ capacity: 0, free: 0, occupancy: 0, net: 0 });
    expect(sumFigures([a, b])).toMatchObject({ capacity: 40, sold: 10, occupancy: 25, gross: 20000, refunds: 8000, net: 12000, checkedIn: 7 });
  });
});

describe('csvField', () => {
  it('quotes as RFC 4180 says and keeps formulas text', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
  });
});
