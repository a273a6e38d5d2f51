// The inbox on real PostgreSQL (and RabbitMQ for real redeliveries): however often an event
// arrives, its effect is applied once.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinemaTopology } from '../../contracts/consumers';
import { DEFAULT_DATABASE_URL } from '../../core/db';
import { migrate } from '../../core/migrate';
import { newEvent, type Envelope } from '../envelope';
import { OUTBOX_INBOX_SQL } from '../sql';
import { handleOnce } from '../inbox';
import { enqueue } from '../outbox';
import { createRabbitBus, deleteTopology } from '../rabbitmq';
import type { Topology } from '../topology';
import { createTestDatabase, quietLog, RABBITMQ_URL, sleep, uniquePrefix, waitFor, type TestDatabase } from './support';

// A seat-map read model without a key on the event: a second application would show as a second row.
const SEAT_MAP_SQL = `CREATE TABLE seats_booked (event_id uuid NOT NULL, showtime_id uuid NOT NULL, seat text NOT NULL);`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('inbox', SEAT_MAP_SQL);
});
afterAll(async () => {
  await db.drop();
});

const bookingConfirmed = () => newEvent('booking.confirmed', { bookingId: randomUUID(), showtimeId: randomUUID(), seats: ['F7', 'F8'] }, { source: 'booking' });

/** catalog-seat-map's effect: mark the booking's seats booked. */
const markSeatsBooked = (event: Envelope) => async (tx: { query: (sql: string, params: unknown[]) => Promise<unknown> }) => {
  for (const seat of event.data.seats as string[]) {
    await tx.query(`INSERT INTO seats_booked (event_id, showtime_id, seat) VALUES ($1, $2, $3)`, [event.id, event.data.showtimeId, seat]);
  }
};

const seatsBookedBy = async (event: Envelope) =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM seats_booked WHERE event_id = $1`, [event.id])).rows[0].n as number;

describe('OUTBOX_INBOX_SQL', () => {
  it('applies as a domain migration through the migration runner, and again without harm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'events-migrations-'));
    try {
      mkdirSync(join(dir, 'booking'));
      writeFileSync(join(dir, 'booking', '001_outbox_inbox.sql'), OUTBOX_INBOX_SQL);
      const throwaway = await createTestDatabase('migrate');
      try {
        const url = (await throwaway.pool.query(`SELECT current_database() AS name`)).rows[0].name as string;
        const server = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
        server.pathname = `/${url}`;
        expect(await migrate(server.toString(), 'booking', join(dir, 'booking'))).toEqual(['001_outbox_inbox.sql']);
        await throwaway.pool.query(OUTBOX_INBOX_SQL);
      } finally {
        await throwaway.drop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('inbox: handleOnce', () => {
  for (const times of [1, 2, 10]) {
    it(`applies an event delivered ${times} time(s) once`, async () => {
      const event = bookingConfirmed();
      const outcomes = [];
      for (let i = 0; i < times; i++) outcomes.push(await handleOnce(db.pool, 'catalog-seat-map', event, markSeatsBooked(event)));
      expect(outcomes).toEqual(['applied', ...Array(times - 1).fill('duplicate')]);
      expect(await seatsBookedBy(event)).toBe(2);
    });
  }

  it('applies once when 10 deliveries race each other', async () => {
    const event = bookingConfirmed();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => handleOnce(db.pool, 'catalog-seat-map', event, markSeatsBooked(event))));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(await seatsBookedBy(event)).toBe(2);
  });

  it('records nothing when the effect fails, so the next delivery applies it', async () => {
    const event = bookingConfirmed();
    await expect(
      handleOnce(db.pool, 'catalog-seat-map', event, async (tx) => {
        await markSeatsBooked(event)(tx);
        throw new Error('seat map of this showtime is not loaded yet');
      }),
    ).rejects.toThrow(/not loaded yet/);
    expect(await seatsBookedBy(event)).toBe(0);
    expect(await handleOnce(db.pool, 'catalog-seat-map', event, markSeatsBooked(event))).toBe('applied');
    expect(await seatsBookedBy(event)).toBe(2);
  });

  it('keeps consumers apart: each applies the same event once', async () => {
    const event = bookingConfirmed();
    expect(await handleOnce(db.pool, 'catalog-seat-map', event, markSeatsBooked(event))).toBe('applied');
    expect(await handleOnce(db.pool, 'ledger-recorder', event, async () => undefined)).toBe('applied');
    expect(await handleOnce(db.pool, 'ledger-recorder', event, async () => undefined)).toBe('duplicate');
  });

  it('commits the events an effect enqueues with the effect, and not when it fails', async () => {
    const kept = bookingConfirmed();
    const dropped = bookingConfirmed();
    const refund = (cause: Envelope) => newEvent('booking.rejected', { bookingId: cause.data.bookingId }, { source: 'booking', correlationId: cause.correlationId });
    const followUpKept = refund(kept);
    const followUpDropped = refund(dropped);
    await handleOnce(db.pool, 'booking-payment-succeeded', kept, (tx) => enqueue(tx, followUpKept));
    await expect(
      handleOnce(db.pool, 'booking-payment-succeeded', dropped, async (tx) => {
        await enqueue(tx, followUpDropped);
        throw new Error('cart vanished');
      }),
    ).rejects.toThrow();
    const { rows } = await db.pool.query(`SELECT event_id FROM outbox WHERE event_id = ANY($1::uuid[])`, [[followUpKept.id, followUpDropped.id]]);
    expect(rows.map((r) => r.event_id)).toEqual([followUpKept.id]);
  });
});

describe('inbox behind a real queue', () => {
  let topology: Topology;
  beforeAll(() => {
    topology = cinemaTopology({ prefix: uniquePrefix('inbox') });
  });
  afterAll(async () => {
    const admin = await amqp.connect(RABBITMQ_URL);
    await deleteTopology(await admin.createChannel(), topology);
    await admin.close();
  });

  it('acknowledges every redelivery of one event and applies it once', async () => {
    const bus = createRabbitBus({ url: RABBITMQ_URL, topology, log: quietLog });
    const outcomes: string[] = [];
    try {
      await bus.consume('catalog-seat-map', async (event) => {
        outcomes.push(await handleOnce(db.pool, 'catalog-seat-map', event, markSeatsBooked(event)));
      });
      const event = bookingConfirmed();
      for (let i = 0; i < 10; i++) await bus.publish(event); // the same event id, ten times
      await waitFor(() => outcomes.length === 10, 'ten deliveries');
      await sleep(200);
      expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
      expect(await seatsBookedBy(event)).toBe(2);
    } finally {
      await bus.close();
    }
    const admin = await amqp.connect(RABBITMQ_URL);
    const channel = await admin.createChannel();
    expect((await channel.checkQueue(`${topology.prefix}catalog-seat-map`)).messageCount).toBe(0);
    expect((await channel.checkQueue(`${topology.prefix}catalog-seat-map.dlq`)).messageCount).toBe(0);
    await admin.close();
  });
});
