// The seat map read model against catalog's real database: however booking's events arrive —
// a sale retried after its cancellation, a cancellation after the seat was sold again, every
// event twice — the seat map ends as booking's claims.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabases, type TestDatabases } from '../../test/support/stack';
import { bookingCancelled, bookingConfirmed } from '../../layers/contracts/events';
import { withTransaction } from '../../layers/core/db';
import { applyBookingToSeatMap } from './seat-map-events';

let dbs: TestDatabases;
const catalog = () => dbs.pool('catalog');
beforeAll(async () => {
  dbs = await createTestDatabases();
});
afterAll(async () => {
  await dbs?.drop();
});

async function showtime(): Promise<string> {
  const [movie, hall, id] = [randomUUID(), randomUUID(), randomUUID()];
  await catalog().query(`INSERT INTO movies (id, title, duration_minutes, release_date) VALUES ($1, 'M', 90, '2026-01-01')`, [movie]);
  await catalog().query(`INSERT INTO halls (id, name, categories) VALUES ($1, $2, '{"standard": 1000}')`, [hall, `Hall ${hall}`]);
  await catalog().query(`INSERT INTO showtimes (id, movie_id, hall_id, starts_at, ends_at, prices) VALUES ($1, $2, $3, now() + interval '3 days', now() + interval '3 days 2 hours', '{"standard": 1000}')`, [id, movie, hall]);
  return id;
}

/** A booking's two events, the sale made `at` ms into the test's time line. */
function booking(showtimeId: string, seats: string[], at: number) {
  const facts = { bookingId: randomUUID(), paymentId: randomUUID(), checkoutId: randomUUID(), userId: randomUUID(), showtimeId, seats, amount: 1000 * seats.length, currency: 'EUR' };
  const base = Date.parse('2026-12-01T10:00:00Z');
  return {
    confirmed: { ...bookingConfirmed(facts, randomUUID()), occurredAt: new Date(base + at).toISOString() },
    cancelled: { ...bookingCancelled({ ...facts, reason: 'customer cancelled' }, randomUUID()), occurredAt: new Date(base + at + 500).toISOString() },
  };
}

const apply = (...events: Parameters<typeof applyBookingToSeatMap>[1][]) =>
  withTransaction(catalog(), async (tx) => {
    for (const e of events) await applyBookingToSeatMap(tx, e);
  });
const sold = async (showtimeId: string) => (await catalog().query(`SELECT seat_id, booking_id FROM showtime_seats WHERE showtime_id = $1 AND status = 'sold' ORDER BY seat_id`, [showtimeId])).rows;

describe('seat map from booking events in any order', () => {
  it('does not sell again the seats of a booking whose cancellation came first', async () => {
    const st = await showtime();
    const b = booking(st, ['A1', 'A2'], 0);
    await apply(b.cancelled, b.confirmed);
    expect(await sold(st)).toEqual([]);
    await apply(b.confirmed, b.cancelled, b.confirmed);
    expect(await sold(st)).toEqual([]);
  });

  it("keeps a seat sold again when the first booking's cancellation comes after the new sale", async () => {
    const st = await showtime();
    const first = booking(st, ['B1'], 0);
    const second = booking(st, ['B1', 'B2'], 1_000);
    await apply(first.confirmed, second.confirmed, first.cancelled);
    expect(await sold(st)).toEqual([
      { seat_id: 'B1', booking_id: second.confirmed.data.bookingId },
      { seat_id: 'B2', booking_id: second.confirmed.data.bookingId },
    ]);
  });

  it("keeps the newer sale when the older booking's sale arrives late", async () => {
    const st = await showtime();
    const first = booking(st, ['C1'], 0);
    const second = booking(st, ['C1'], 1_000);
    await apply(second.confirmed, first.confirmed, first.cancelled);
    expect(await sold(st)).toEqual([{ seat_id: 'C1', booking_id: second.confirmed.data.bookingId }]);
  });
});
