// RabbitMQ cut off mid-flow, then back: no event lost, no effect applied twice. The bus and
// the runner reach the broker through a TCP proxy that this test cuts and restores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, signUp, signUpAdmin, eventually, type TestStack } from '../support/stack';
import { scheduleShowtime, buy } from '../support/flow';
import { TcpProxy, rabbitUrlVia } from '../../layers/events/test/support';

let stack: TestStack;
let proxy: TcpProxy;
let admin: string;
beforeAll(async () => {
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: 5672 });
  stack = await startTestStack({}, { events: true, rabbitUrl: rabbitUrlVia(proxy) });
  admin = (await signUpAdmin(stack)).token;
});
afterAll(async () => {
  await proxy?.up();
  await stack?.stop();
  await proxy?.close();
});

describe('broker outage', () => {
  it('loses no event and applies none twice when the connection is cut mid-flow', async () => {
    const { showtimeId } = await scheduleShowtime(stack, admin);
    const buyers = await Promise.all(Array.from({ length: 8 }, () => signUp(stack.api)));
    const seats = ['A1', 'A2', 'A3', 'A4', 'B1', 'B2', 'B3', 'B4'];

    // half the purchases start; the broker goes away while their events are on the move (once
    // the first of them has been published), and the other half buy while it is away
    const before = buyers.slice(0, 4).map((b, i) => buy(stack.api, b.token, showtimeId, [seats[i]]));
    await eventually(async () => ((await stack.db.pool('payment').query(`SELECT count(*) AS n FROM outbox WHERE published_at IS NOT NULL`)).rows[0].n > 0 ? true : undefined), 30_000, 'a first payment event published');
    await proxy.down();
    const during = buyers.slice(4).map((b, i) => buy(stack.api, b.token, showtimeId, [seats[4 + i]]));
    const done = await Promise.all([...before, ...during]);
    expect(done.map((d) => d.pay?.body.outcome)).toEqual(seats.map(() => 'succeeded'));

    // while it is away, payments still succeed and their events wait in the outbox: at least
    // the four made during the outage
    const waiting = (await stack.db.pool('payment').query(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n;
    expect(waiting).toBeGreaterThanOrEqual(4);

    await proxy.up();
    const bookings = await eventually(async () => {
      const rows = (await stack.db.pool('booking').query(`SELECT payment_id, seats FROM bookings WHERE showtime_id = $1`, [showtimeId])).rows;
      return rows.length === 8 ? rows : undefined;
    }, 60_000, 'all 8 bookings after the broker is back');
    expect(new Set(bookings.map((b) => b.payment_id))).toEqual(new Set(done.map((d) => d.paymentId)));

    // every outbox drained, each event once in its consumers' inboxes, seats marked once
    for (const domain of ['payment', 'booking'] as const) {
      await eventually(async () => ((await stack.db.pool(domain).query(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`)).rows[0].n === 0 ? true : undefined), 30_000, `${domain} outbox drained`);
    }
    const confirmed = (await stack.db.pool('booking').query(`SELECT count(*) AS n FROM outbox WHERE event_type = 'booking.confirmed'`)).rows[0].n;
    expect(confirmed).toBe(8);
    expect((await stack.db.pool('booking').query(`SELECT count(*) AS n FROM inbox WHERE consumer = 'booking-payment-succeeded'`)).rows[0].n).toBe(8);
    expect((await stack.db.pool('booking').query(`SELECT count(*) AS n FROM seat_claims WHERE showtime_id = $1 AND status = 'sold'`, [showtimeId])).rows[0].n).toBe(8);
    const marked = await eventually(async () => {
      const rows = (await stack.db.pool('catalog').query(`SELECT seat_id FROM showtime_seats WHERE showtime_id = $1 AND status = 'sold'`, [showtimeId])).rows;
      return rows.length === 8 ? rows.map((r) => r.seat_id).sort() : undefined;
    }, 30_000, 'the seat map');
    expect(marked).toEqual([...seats].sort());
  }, 120_000);
});
