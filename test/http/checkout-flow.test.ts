// The seed's six steps, end to end over HTTP and events: checkout → pending payment →
// provider's signed webhook → payment.success → booking confirmed → seats marked sold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { scheduleShowtime, buy, bookingFor } from '../support/flow';
import { chargeSession } from '../../functions/payment/test-provider/provider';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack({}, { events: true });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await stack?.stop();
});

describe('checkout and the event flow', () => {
  it('takes a customer from seats to a booking, with the seat map and stats following', async () => {
    const { api } = stack;
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(api);

    // 1. hold two seats: the cart's total is computed by the server
    const hold = await api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['A1', 'C2'] } });
    expect(hold.status).toBe(201);
    expect(hold.body.cart.total).toBe(2500);
    expect(hold.body.cart.showtimes[0].seats.map((s: any) => s.seatId)).toEqual(['A1', 'C2']);

    // 2. checkout freezes the amount
    const checkout = await api('POST', '/cart/checkout', { token: customer.token, body: {} });
    expect(checkout.status).toBe(201);
    expect(checkout.body.checkout).toMatchObject({ amount: 2500, currency: 'EUR', seats: ['A1', 'C2'], status: 'open' });

    // 3. a pending payment for that checkout: the amount comes from booking, not the body
    const forged = await api('POST', '/payments', { token: customer.token, body: { checkoutId: checkout.body.checkout.id, amount: 1 } });
    expect(forged.status).toBe(400);
    const payment = await api('POST', '/payments', { token: customer.token, body: { checkoutId: checkout.body.checkout.id } });
    expect(payment.status).toBe(201);
    expect(payment.body.payment).toMatchObject({ status: 'pending', amount: 2500, seats: ['A1', 'C2'] });
    const again = await api('POST', '/payments', { token: customer.token, body: { checkoutId: checkout.body.checkout.id } });
    expect(again.body.payment.id).toBe(payment.body.payment.id);

    // 4. the provider charges the card and sends its signed webhook
    const pay = await api('POST', payment.body.nextAction.url, { body: { cardNumber: '4242424242424242' } });
    expect(pay.status).toBe(200);
    expect(pay.body).toMatchObject({ outcome: 'succeeded', webhookStatus: 200 });
    expect((await api('GET', `/payments/${payment.body.payment.id}`, { token: customer.token })).body.payment.status).toBe('succeeded');

    // 5. payment.success → booking confirmed
    const booking = await bookingFor(stack, payment.body.payment.id);
    expect(booking).toMatchObject({ status: 'confirmed', seats: ['A1', 'C2'], amount: 2500 });
    const mine = await api('GET', '/bookings', { token: customer.token });
    expect(mine.body.items.map((b: any) => b.id)).toEqual([booking.id]);

    // 6. booking.confirmed → catalog's seat map shows the seats sold
    const sold = await eventually(async () => {
      const map = await api('GET', `/showtimes/${showtimeId}/seats`);
      return map.body.seatMap.counts.sold === 2 ? map.body.seatMap : undefined;
    }, 15_000, 'the seat map');
    const statusOf = (id: string) => sold.rows.flatMap((r: any) => r.cells).find((c: any) => c?.seatId === id).status;
    expect([statusOf('A1'), statusOf('C2'), statusOf('A2')]).toEqual(['sold', 'sold', 'available']);

    const stats = await api('GET', '/bookings/stats', { token: customer.token });
    expect(stats.body.stats).toMatchObject({ bookings: 1, seats: 2, totalSpent: 2500 });
    expect((await api('GET', '/cart', { token: customer.token })).body.cart.showtimes).toEqual([]);

    // the ledger recorded both facts, signed, waiting for the chain
    const facts = await eventually(async () => {
      const rows = (await stack.db.pool('ledger').query(`SELECT event_type, booking_id, user_id, status FROM ledger_entries WHERE payment_id = $1 ORDER BY event_type`, [payment.body.payment.id])).rows;
      return rows.length === 2 ? rows : undefined;
    }, 15_000, 'ledger entries');
    expect(facts).toEqual([
      { event_type: 'booking.confirmed', booking_id: booking.id, user_id: customer.user.id, status: 'pending' },
      { event_type: 'payment.success', booking_id: null, user_id: customer.user.id, status: 'pending' },
    ]);
  });

  it("confirms a booking whose webhook the provider's page never sent: the provider's sender delivers it", async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    await stack.api('POST', '/cart/holds', { token: customer.token, body: { showtimeId, seats: ['A3'] } });
    const checkout = await stack.api('POST', '/cart/checkout', { token: customer.token, body: {} });
    const payment = await stack.api('POST', '/payments', { token: customer.token, body: { checkoutId: checkout.body.checkout.id } });
    const sessionId = payment.body.nextAction.url.split('/')[3];
    // the card is charged, and the page's process ends before its webhook goes out (the soak
    // met this with the gateway killed): the money is taken, and payment has not heard of it
    const hook = await chargeSession(stack.db.pool('payment'), sessionId, '4242424242424242');
    expect((await stack.api('GET', `/payments/${payment.body.payment.id}`, { token: customer.token })).body.payment.status).toBe('pending');
    const booking = await bookingFor(stack, payment.body.payment.id);
    expect(booking).toMatchObject({ status: 'confirmed', seats: ['A3'] });
    const kept = (await stack.db.pool('payment').query('SELECT delivered_at, last_status FROM test_provider.webhook_events WHERE id = $1', [hook.id])).rows[0];
    expect(kept).toMatchObject({ delivered_at: expect.any(Date), last_status: 200 });
    expect((await stack.db.pool('payment').query('SELECT count(*)::int AS n FROM webhook_receipts WHERE provider_event_id = $1', [hook.id])).rows[0].n).toBe(1);
  });

  it('fails a declined card and keeps the seats held, with no booking', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    const declined = await buy(stack.api, customer.token, showtimeId, ['B1'], '4000000000000002');
    expect(declined.pay!.body).toMatchObject({ outcome: 'failed', reason: 'card declined' });
    expect((await stack.api('GET', `/payments/${declined.paymentId}`, { token: customer.token })).body.payment).toMatchObject({ status: 'failed', failureReason: 'card declined' });
    const funds = await buy(stack.api, (await signUp(stack.api)).token, showtimeId, ['B2'], '4000000000009995');
    expect(funds.pay!.body.reason).toBe('insufficient funds');
    // a booking is made only from a payment.success, written with the payment's outcome in one
    // transaction: both outboxes hold a payment.failed, published, and nothing else
    const events = await eventually(async () => {
      const rows = (await stack.db.pool('payment').query(`SELECT event_type, published_at IS NOT NULL AS published FROM outbox WHERE envelope->'data'->>'paymentId' = ANY($1)`, [[declined.paymentId, funds.paymentId]])).rows;
      return rows.length === 2 && rows.every((r) => r.published) ? rows : undefined;
    }, 15_000, 'both failures published');
    expect(events.map((r) => r.event_type)).toEqual(['payment.failed', 'payment.failed']);
    expect((await stack.db.pool('booking').query('SELECT count(*) AS n FROM bookings WHERE showtime_id = $1', [showtimeId])).rows[0].n).toBe(0);
  });

  it('cancels a booking before the showtime: refund, and the seats are free again', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const customer = await signUp(stack.api);
    const bought = await buy(stack.api, customer.token, showtimeId, ['A5', 'A6']);
    const booking = await bookingFor(stack, bought.paymentId!);
    const other = await signUp(stack.api);
    expect((await stack.api('POST', `/bookings/${booking.id}/cancel`, { token: other.token })).status).toBe(404);
    const cancel = await stack.api('POST', `/bookings/${booking.id}/cancel`, { token: customer.token });
    expect(cancel.status).toBe(200);
    expect(cancel.body.booking.status).toBe('cancelled');
    expect((await stack.api('POST', `/bookings/${booking.id}/cancel`, { token: customer.token })).status).toBe(409);
    const refunded = await eventually(async () => {
      const p = (await stack.api('GET', `/payments/${bought.paymentId}`, { token: customer.token })).body.payment;
      return p.status === 'refunded' ? p : undefined;
    }, 15_000, 'the refund');
    expect(refunded.amount).toBe(2000);
    // the seats can be held again, and the seat map frees them
    expect((await stack.api('POST', '/cart/holds', { token: other.token, body: { showtimeId, seats: ['A5'] } })).status).toBe(201);
    await eventually(async () => ((await stack.api('GET', `/showtimes/${showtimeId}/seats`)).body.seatMap.counts.sold === 0 ? true : undefined), 15_000, 'seats freed');
  });
});
