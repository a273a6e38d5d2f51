// The soak's checker on rows made by hand: a consistent world gives no anomaly, and each
// planted breakage is reported under its invariant with the ids involved.
import { describe, expect, it } from 'vitest';
import { checkSoak, type SoakRows } from './check';

const ST = 'st-1';
function world(): SoakRows {
  return {
    claims: [
      { showtimeId: ST, seatId: 'A1', status: 'sold', bookingId: 'bk-1' },
      { showtimeId: ST, seatId: 'A2', status: 'held', bookingId: null },
    ],
    catalogSeats: [{ showtimeId: ST, seatId: 'A1', status: 'sold' }],
    bookings: [
      { id: 'bk-1', userId: 'u-1', showtimeId: ST, paymentId: 'pay-1', seats: ['A1'], amount: 1000, status: 'confirmed' },
      { id: 'bk-2', userId: 'u-2', showtimeId: ST, paymentId: 'pay-2', seats: ['B1'], amount: 1000, status: 'cancelled' },
    ],
    payments: [
      { id: 'pay-1', userId: 'u-1', amount: 1000, status: 'succeeded', sessionId: 'tps-1' },
      { id: 'pay-2', userId: 'u-2', amount: 1000, status: 'refunded', sessionId: 'tps-2' },
      { id: 'pay-3', userId: 'u-2', amount: 1000, status: 'failed', sessionId: 'tps-3' },
    ],
    refunds: [{ paymentId: 'pay-2', amount: 1000 }],
    sessions: [
      { id: 'tps-1', status: 'paid' },
      { id: 'tps-2', status: 'refunded' },
      { id: 'tps-3', status: 'declined' },
    ],
    facts: [
      { eventId: 'ev-1', type: 'payment.success' },
      { eventId: 'ev-2', type: 'booking.confirmed' },
    ],
    unsent: [],
    replicas: [0, 1, 2, 3].map((id) => ({ id, ok: true, height: 7, headHash: 'h7' })),
    chainTransactions: { 'ev-1': 1, 'ev-2': 1 },
    dead: [],
    poisoned: [],
    serverErrors: [{ at: 1500, status: 503, method: 'GET', path: '/movies' }],
    faults: [{ kind: 'gateway-restart', start: 1000, end: 1200 }],
    graceMs: 500,
    customerViews: [
      { userId: 'u-1', bookings: [{ id: 'bk-1', status: 'confirmed', seats: ['A1'] }] },
      { userId: 'u-2', bookings: [{ id: 'bk-2', status: 'cancelled', seats: ['B1'] }] },
    ],
    proofs: [{ bookingId: 'bk-1', ok: true }],
  };
}

const planted: [string, (w: SoakRows) => void, string, string[]][] = [
  ['a seat in two confirmed bookings', (w) => { w.bookings[1].status = 'cancelled'; w.bookings.push({ ...w.bookings[0], id: 'bk-9', paymentId: 'pay-9' }); w.payments.push({ id: 'pay-9', userId: 'u-1', amount: 1000, status: 'succeeded', sessionId: 'tps-9' }); w.proofs.push({ bookingId: 'bk-9', ok: true }); }, 'seat sold twice', ['st-1/A1', 'bk-1', 'bk-9']],
  ['catalog still shows a freed seat sold', (w) => w.catalogSeats.push({ showtimeId: ST, seatId: 'B1', status: 'sold' }), 'booking and catalog agree on every seat', ['st-1/B1']],
  ['catalog missed a sale', (w) => (w.catalogSeats = []), 'booking and catalog agree on every seat', ['st-1/A1']],
  ['a sold claim without a booking', (w) => w.claims.push({ showtimeId: ST, seatId: 'C1', status: 'sold', bookingId: 'bk-x' }), 'booking and its claims agree', ['st-1/C1', 'bk-x']],
  ['a succeeded payment without its booking', (w) => (w.bookings[0].status = 'cancelled'), 'every succeeded payment has one confirmed booking or a refund', ['pay-1', 'bk-1']],
  ['a refunded payment without a refund', (w) => (w.refunds = []), 'every succeeded payment has one confirmed booking or a refund', ['pay-2']],
  ['a booking paid a different amount', (w) => (w.payments[0].amount = 900), 'every confirmed booking has a succeeded payment', ['bk-1', 'pay-1']],
  ['a booking for a failed payment', (w) => (w.bookings[0].paymentId = 'pay-3'), 'every confirmed booking has a succeeded payment', ['pay-3', 'bk-1']],
  ['the provider charged, the payment never heard', (w) => (w.sessions[2].status = 'paid'), 'no money taken without a booking or a refund', ['tps-3', 'pay-3']],
  ['a fact missing from the chain', (w) => delete w.chainTransactions['ev-2'], 'every payment and booking fact on the chain exactly once', ['ev-2']],
  ['a fact on the chain twice', (w) => (w.chainTransactions['ev-1'] = 2), 'every payment and booking fact on the chain exactly once', ['ev-1']],
  ['a replica behind', (w) => (w.replicas[3] = { id: 3, ok: true, height: 6, headHash: 'h6' }), 'all replicas hold the same chain', ['replica 0', 'replica 3']],
  ['a replica that does not verify', (w) => (w.replicas[2] = { ...w.replicas[2], ok: false, reason: 'bad certificate' }), 'every replica verifies from genesis', ['replica 2']],
  ['a proof that fails', (w) => (w.proofs[0] = { bookingId: 'bk-1', ok: false, reason: 'bad path' }), "every booking's proof verifies", ['bk-1']],
  ['an event in a DLQ', (w) => w.dead.push({ queue: 'booking-payment-succeeded.dlq', eventId: 'ev-1', type: 'payment.success' }), 'no event stranded in a DLQ', ['ev-1']],
  ['an outbox row unsent', (w) => w.unsent.push({ domain: 'booking', eventId: 'ev-7', type: 'booking.confirmed' }), 'no outbox row left unsent', ['ev-7']],
  ['a 5xx outside any fault', (w) => w.serverErrors.push({ at: 5000, status: 500, method: 'POST', path: '/cart/holds' }), 'no 5xx outside the fault windows', ['POST /cart/holds']],
  ['a customer shown a stale status', (w) => (w.customerViews[0].bookings[0].status = 'cancelled'), "a customer's GET /bookings matches the databases", ['u-1', 'bk-1']],
  ['a customer not shown a booking', (w) => (w.customerViews[1].bookings = []), "a customer's GET /bookings matches the databases", ['u-2', 'bk-2']],
];

describe('soak checker', () => {
  it('finds nothing in a consistent world (a 5xx inside a fault window and its grace is expected)', () => {
    expect(checkSoak(world())).toEqual([]);
  });

  it.each(planted)('reports %s', (_, plant, invariant, ids) => {
    const w = world();
    plant(w);
    const found = checkSoak(w);
    expect(found.map((a) => a.invariant)).toContain(invariant);
    expect(found.find((a) => a.invariant === invariant)!.ids).toEqual(ids);
  });

  it('leaves deliberately poisoned events in their DLQ alone', () => {
    const w = world();
    w.dead.push({ queue: 'booking-payment-succeeded.dlq', eventId: 'forged-1', type: 'payment.success' });
    w.poisoned.push('forged-1');
    expect(checkSoak(w)).toEqual([]);
  });
});
