// A showtime for the event benches, made the way production makes one: catalog's own
// functions schedule it (its showtime.scheduled leaves through catalog's outbox) and booking
// hears of it through the events, so that both domains know it — catalog's seat map needs its
// showtime to mark seats sold. Then open checkouts, one seat each, for payments to settle.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type amqp from 'amqplib';
import { createHall } from '../../functions/catalog/halls';
import { layoutInput, seatsOf } from '../../functions/catalog/layout';
import { createMovie } from '../../functions/catalog/movies';
import { scheduleShowtime } from '../../functions/catalog/showtimes';
import { paymentSucceeded } from '../../layers/contracts/events';
import { deadLetterQueueName, queueName, retryQueueName, type Topology } from '../../layers/events/topology';
import type { TestDatabases } from '../../test/support/stack';
import { settles, type Checks } from './checks';

export const SEAT_PRICE = 1000;
const SEATS_PER_ROW = 100;

/** Row labels A … Z, AA … AZ, BA …: as many rows as a hall may have. */
const rowLabel = (i: number) => (i < 26 ? '' : String.fromCharCode(64 + Math.floor(i / 26))) + String.fromCharCode(65 + (i % 26));

/** Schedules a showtime of `seatCount` standard seats in a new hall; resolves once booking knows it. */
export async function scheduleBenchShowtime(db: TestDatabases, seatCount: number): Promise<{ showtimeId: string; seatIds: string[] }> {
  const catalog = db.pool('catalog');
  const rows = Math.ceil(seatCount / SEATS_PER_ROW);
  const layout = layoutInput.parse({
    categories: { standard: SEAT_PRICE },
    rows: Array.from({ length: rows }, (_, r) => ({ label: rowLabel(r), seats: Array.from({ length: Math.min(SEATS_PER_ROW, seatCount - r * SEATS_PER_ROW) }, () => 'standard') })),
  });
  const hall = await createHall(catalog, `Bench ${randomUUID().slice(0, 8)}`, layout);
  const movie = await createMovie(catalog, { title: 'Bench', description: 'A benchmark run.', genres: ['drama'], durationMinutes: 100, rating: null, releaseDate: '2026-01-01', posterUrl: null });
  const showtime = await scheduleShowtime(catalog, { movieId: movie.id, hallId: hall.id, startsAt: new Date(Date.now() + 2 * 86400_000).toISOString() }, { turnaroundMinutes: 15, currency: 'EUR' });
  const booking = db.pool('booking');
  const heard = await settles(async () => (await booking.query('SELECT 1 FROM showtimes WHERE id = $1', [showtime.id])).rowCount === 1, 60_000);
  if (!heard) throw new Error(`booking did not hear of showtime ${showtime.id} within 60 s`);
  return { showtimeId: showtime.id, seatIds: seatsOf(layout).map((s) => s.seatId) };
}

export interface OpenCheckout {
  id: string;
  userId: string;
  seat: string;
}

/** One buyer per seat, each holding it and checked out, as holdSeats and checkout leave them (in two statements, not one buyer at a time). */
export async function openCheckouts(booking: pg.Pool, showtimeId: string, seatIds: string[]): Promise<OpenCheckout[]> {
  const checkouts = seatIds.map((seat) => ({ id: randomUUID(), userId: randomUUID(), seat }));
  const users = checkouts.map((c) => c.userId);
  const seats = checkouts.map((c) => c.seat);
  await booking.query(
    `INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at)
     SELECT $1, seat, user_id, 'held', $4, now() + interval '1 hour' FROM unnest($2::text[], $3::uuid[]) AS t(seat, user_id)`,
    [showtimeId, seats, users, SEAT_PRICE],
  );
  await booking.query(
    `INSERT INTO checkouts (id, user_id, showtime_id, seats, amount, currency)
     SELECT id, user_id, $1, ARRAY[seat], $5, 'EUR' FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS t(id, user_id, seat)`,
    [showtimeId, checkouts.map((c) => c.id), users, seats, SEAT_PRICE],
  );
  return checkouts;
}

/** What payment publishes when a checkout is paid. */
export const paymentFor = (showtimeId: string, c: OpenCheckout, paymentId: string = randomUUID()) =>
  paymentSucceeded({ paymentId, checkoutId: c.id, userId: c.userId, showtimeId, seats: [c.seat], amount: SEAT_PRICE, currency: 'EUR', provider: 'test' });

export async function countOf(pool: pg.Pool, sql: string, params: unknown[]): Promise<number> {
  return Number((await pool.query(sql, params)).rows[0].n);
}

/** Seats catalog's seat map shows sold for the showtime. */
export const soldInCatalog = (catalog: pg.Pool, showtimeId: string) =>
  countOf(catalog, `SELECT count(*) AS n FROM showtime_seats WHERE showtime_id = $1 AND status = 'sold'`, [showtimeId]);

/** Facts the ledger has recorded of payments and bookings: two a purchase. */
export const recordedInLedger = (ledger: pg.Pool) => countOf(ledger, `SELECT count(*) AS n FROM ledger_entries WHERE event_type IN ('payment.success', 'booking.confirmed')`, []);

/** Messages in every consumer's dead-letter queue, and those waiting for a retry: none when every delivery succeeded. */
export async function undelivered(connection: amqp.ChannelModel, topology: Topology): Promise<{ deadLetters: number; awaitingRetry: number; byQueue: Record<string, number> }> {
  const channel = await connection.createChannel();
  const byQueue: Record<string, number> = {};
  let deadLetters = 0;
  let awaitingRetry = 0;
  try {
    for (const spec of topology.queues) {
      const queue = queueName(topology, spec.name);
      const dlq = deadLetterQueueName(queue);
      const dead = (await channel.checkQueue(dlq)).messageCount;
      deadLetters += dead;
      if (dead) byQueue[dlq] = dead;
      for (const delay of new Set(topology.retryDelaysMs)) {
        const retry = retryQueueName(queue, delay);
        const waiting = (await channel.checkQueue(retry)).messageCount;
        awaitingRetry += waiting;
        if (waiting) byQueue[retry] = waiting;
      }
    }
  } finally {
    await channel.close();
  }
  return { deadLetters, awaitingRetry, byQueue };
}

/** The check every event bench ends with: no dead letter, and no delivery still failing towards one. */
export async function expectAllDelivered(checks: Checks, connection: amqp.ChannelModel, topology: Topology): Promise<void> {
  const left = await undelivered(connection, topology);
  const where = Object.keys(left.byQueue).length ? ` (${JSON.stringify(left.byQueue)})` : '';
  checks.expect(left.deadLetters === 0 && left.awaitingRetry === 0, `${left.deadLetters} dead letters, ${left.awaitingRetry} deliveries awaiting a retry${where}`);
}

/** Claims 30% of a showtime's seats straight in booking's table (held by others, sold, blocked); answers how many it claimed and the seats left free. */
export async function claimThirtyPercent(booking: pg.Pool, showtimeId: string): Promise<{ claimed: number; free: string[] }> {
  const { rows } = await booking.query('SELECT seat_id, price FROM showtime_seats WHERE showtime_id = $1 ORDER BY seat_id', [showtimeId]);
  const chosen = rows.filter((_, i) => i % 10 < 3);
  const status = (i: number) => (i % 3 === 0 ? 'sold' : i % 7 === 0 ? 'blocked' : 'held');
  await booking.query(
    `INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, expires_at, booking_id)
     SELECT $1, s, $2, st, p, CASE WHEN st = 'held' THEN now() + interval '1 hour' END, CASE WHEN st = 'sold' THEN $3::uuid END
       FROM unnest($4::text[], $5::int[], $6::text[]) AS x(s, p, st)`,
    [showtimeId, randomUUID(), randomUUID(), chosen.map((r) => r.seat_id), chosen.map((r) => r.price), chosen.map((_, i) => status(i))],
  );
  return { claimed: chosen.length, free: rows.filter((_, i) => i % 10 >= 3).map((r) => r.seat_id) };
}
