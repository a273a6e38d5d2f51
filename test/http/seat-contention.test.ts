// The seat rule under contention, over the real gateway: a seat is sold at most once,
// whatever the concurrency; and nobody reaches another customer's cart, payment or booking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { scheduleShowtime, buy, bookingFor } from '../support/flow';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({ MAX_SEATS_PER_HOLD: '10' }, { events: true });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await stack?.stop();
});

async function customers(n: number) {
  const out: { token: string; user: { id: string } }[] = [];
  for (let i = 0; i < n; i += 25) out.push(...(await Promise.all(Array.from({ length: Math.min(25, n - i) }, () => signUp(stack.api)))));
  return out;
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

const FIFTY_SEATS = {
  categories: { standard: 900 },
  rows: ['A', 'B', 'C', 'D', 'E'].map((label) => ({ label, seats: Array(10).fill('standard') })),
};

describe('seat contention', () => {
  it('50 buyers for one seat at the same moment: exactly one hold wins, the rest get 409', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const buyers = await customers(50);
    const results = await Promise.all(buyers.map((b) => stack.api('POST', '/cart/holds', { token: b.token, body: { showtimeId, seats: ['B4'] } })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(results.find((r) => r.status === 409)!.body.error).toMatchObject({ code: 'conflict', details: { takenSeats: ['B4'] } });
    const { rows } = await stack.db.pool('booking').query('SELECT user_id FROM seat_claims WHERE showtime_id = $1 AND seat_id = $2', [showtimeId, 'B4']);
    expect(rows).toHaveLength(1);
    const winner = buyers[statuses.indexOf(201)];
    expect(rows[0].user_id).toBe(winner.user.id);
  }, 120_000);

  it('holds several seats all or nothing', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const [a, b] = await customers(2);
    expect((await stack.api('POST', '/cart/holds', { token: a.token, body: { showtimeId, seats: ['A2'] } })).status).toBe(201);
    const clash = await stack.api('POST', '/cart/holds', { token: b.token, body: { showtimeId, seats: ['A1', 'A2', 'A3'] } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details.takenSeats).toEqual(['A2']);
    expect((await stack.api('GET', '/cart', { token: b.token })).body.cart.showtimes).toEqual([]);
    const unknown = await stack.api('POST', '/cart/holds', { token: b.token, body: { showtimeId, seats: ['Z99'] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toMatch(/Z99/);
    const tooMany = await stack.api('POST', '/cart/holds', { token: b.token, body: { showtimeId, seats: ['A1', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'B1', 'B2', 'B3', 'B4'] } });
    expect(tooMany.status).toBe(422);
  });

  it('200 buyers for 50 seats: 50 sold, none twice, in booking and in catalog', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin, { layout: FIFTY_SEATS });
    const seats = FIFTY_SEATS.rows.flatMap((r) => r.seats.map((_, i) => `${r.label}${i + 1}`));
    const buyers = await customers(200);
    const outcomes = await pool(buyers, 40, async (b) => {
      // each buyer tries the seats in an order of their own until one hold succeeds
      const order = [...seats].sort(() => Math.random() - 0.5);
      for (const seat of order) {
        const res = await buy(stack.api, b.token, showtimeId, [seat]);
        if (res.hold.status === 201) return { seat, paymentId: res.paymentId! };
        if (res.hold.status !== 409) throw new Error(`unexpected ${res.hold.status} ${JSON.stringify(res.hold.body)}`);
      }
      return undefined;
    });
    const winners = outcomes.filter((o): o is { seat: string; paymentId: string } => !!o);
    expect(winners).toHaveLength(50);
    expect(new Set(winners.map((w) => w.seat)).size).toBe(50);

    await eventually(async () => {
      const n = (await stack.db.pool('booking').query(`SELECT count(*) AS n FROM bookings WHERE showtime_id = $1`, [showtimeId])).rows[0].n;
      return n === 50 ? n : undefined;
    }, 60_000, '50 bookings');
    const booking = stack.db.pool('booking');
    const sold = (await booking.query(`SELECT seat_id FROM seat_claims WHERE showtime_id = $1 AND status = 'sold'`, [showtimeId])).rows.map((r) => r.seat_id);
    expect(sold.sort()).toEqual([...seats].sort());
    const bookedSeats = (await booking.query(`SELECT unnest(seats) AS seat FROM bookings WHERE showtime_id = $1 AND status = 'confirmed'`, [showtimeId])).rows.map((r) => r.seat);
    expect(bookedSeats).toHaveLength(50);
    expect(new Set(bookedSeats).size).toBe(50);

    const catalogSold = await eventually(async () => {
      const rows = (await stack.db.pool('catalog').query(`SELECT seat_id FROM showtime_seats WHERE showtime_id = $1 AND status = 'sold'`, [showtimeId])).rows;
      return rows.length === 50 ? rows.map((r) => r.seat_id) : undefined;
    }, 30_000, 'catalog to mark 50 seats sold');
    expect(new Set(catalogSold).size).toBe(50);
    const payments = (await stack.db.pool('payment').query(`SELECT status, count(*) AS n FROM payments WHERE showtime_id = $1 GROUP BY status`, [showtimeId])).rows;
    expect(payments).toEqual([{ status: 'succeeded', n: 50 }]);
  }, 300_000);

  it("answers 404 for another customer's hold, checkout, payment and booking", async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const [owner, intruder] = await customers(2);
    const bought = await buy(stack.api, owner.token, showtimeId, ['C1']);
    const booking = await bookingFor(stack, bought.paymentId!);
    await stack.api('POST', '/cart/holds', { token: owner.token, body: { showtimeId, seats: ['C2'] } });
    const co = await stack.api('POST', '/cart/checkout', { token: owner.token, body: {} });

    expect((await stack.api('GET', `/payments/${bought.paymentId}`, { token: intruder.token })).status).toBe(404);
    expect((await stack.api('GET', `/bookings/${booking.id}`, { token: intruder.token })).status).toBe(404);
    expect((await stack.api('POST', `/bookings/${booking.id}/cancel`, { token: intruder.token })).status).toBe(404);
    expect((await stack.api('DELETE', `/cart/holds/${showtimeId}/C2`, { token: intruder.token })).status).toBe(404);
    expect((await stack.api('POST', '/payments', { token: intruder.token, body: { checkoutId: co.body.checkout.id } })).status).toBe(404);
    expect((await stack.api('POST', '/payments', { token: intruder.token, body: { checkoutId: bought.checkoutId } })).status).toBe(404);
    expect((await stack.api('GET', '/payments', { token: intruder.token })).body.items).toEqual([]);
    expect((await stack.api('GET', '/bookings', { token: intruder.token })).body.items).toEqual([]);
    // the owner still has everything, and an admin may look
    expect((await stack.api('GET', `/bookings/${booking.id}`, { token: owner.token })).status).toBe(200);
    expect((await stack.api('GET', `/bookings/${booking.id}`, { token: admin })).status).toBe(200);
    expect((await stack.api('DELETE', `/cart/holds/${showtimeId}/C2`, { token: owner.token })).status).toBe(204);
  });
});
