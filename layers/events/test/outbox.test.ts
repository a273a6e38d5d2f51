// The transactional outbox on real PostgreSQL and RabbitMQ: nothing leaves for a rolled-back
// change, nothing is lost while the broker is away, and two relays share the work.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinemaTopology } from '../../contracts/consumers';
import { withTransaction } from '../../core/db';
import type { EventBus } from '../bus';
import { newEvent, type Envelope } from '../envelope';
import { enqueue, outboxRelay, relayOutbox, startOutboxRelay } from '../outbox';
import { OUTBOX_CHANNEL } from '../sql';
import { createRabbitBus, deleteTopology } from '../rabbitmq';
import type { Topology } from '../topology';
import { createTestDatabase, quietLog, RABBITMQ_URL, rabbitUrlVia, sleep, TcpProxy, uniquePrefix, waitFor, type TestDatabase } from './support';

const SHOWTIMES_SQL = `CREATE TABLE showtimes (id uuid PRIMARY KEY, hall text NOT NULL, starts_at timestamptz NOT NULL);`;

let db: TestDatabase;
let topology: Topology;
let bus: EventBus;
let proxy: TcpProxy;
/** Every showtime event booking's queue received, in arrival order. */
const received: Envelope[] = [];

beforeAll(async () => {
  db = await createTestDatabase('outbox', SHOWTIMES_SQL);
  topology = cinemaTopology({ prefix: uniquePrefix('outbox') });
  bus = createRabbitBus({ url: RABBITMQ_URL, topology, log: quietLog });
  await bus.consume('booking-showtimes', async (event) => void received.push(event), { concurrency: 1 });
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(RABBITMQ_URL).port || 5672) });
});

afterAll(async () => {
  await bus.close();
  await proxy.close();
  const admin = await amqp.connect(RABBITMQ_URL);
  const channel = await admin.createChannel();
  await deleteTopology(channel, topology);
  await admin.close();
  await db.drop();
});

/** What a catalog handler does: the showtime row and its event, in one transaction. */
const showtimeScheduled = () => newEvent('showtime.scheduled', { showtimeId: randomUUID(), hall: 'Salle 2' }, { source: 'catalog' });

async function scheduleShowtime(pool: pg.Pool, options: { fail?: boolean; event?: Envelope } = {}): Promise<Envelope> {
  const event = options.event ?? showtimeScheduled();
  const id = event.data.showtimeId;
  await withTransaction(pool, async (tx) => {
    await tx.query(`INSERT INTO showtimes (id, hall, starts_at) VALUES ($1, 'Salle 2', now() + interval '1 day')`, [id]);
    await enqueue(tx, event);
    if (options.fail) throw new Error('hall is already taken at that time');
  });
  return event;
}

const deliveriesOf = (event: Envelope) => received.filter((e) => e.id === event.id).length;
// whether a relay's connection is LISTENing: the last statement of one of this database's sessions
const listening = async () =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = $1`, [`LISTEN ${OUTBOX_CHANNEL}`])).rows[0].n > 0;

async function outboxRow(eventId: string) {
  const { rows } = await db.pool.query(`SELECT published_at, attempts, last_error FROM outbox WHERE event_id = $1`, [eventId]);
  return rows[0] as { published_at: Date | null; attempts: number; last_error: string | null } | undefined;
}

async function drain(pool: pg.Pool, via: Pick<EventBus, 'publish'>, batch = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const { published, failed } = await relayOutbox(pool, via, { batch });
    total += published;
    if (failed) throw new Error(`${failed} events failed to publish`);
    if (published === 0) return total;
  }
}

describe('transactional outbox', () => {
  it('publishes nothing for a rolled-back transaction, and the committed event once', async () => {
    const doomed = showtimeScheduled();
    await expect(scheduleShowtime(db.pool, { fail: true, event: doomed })).rejects.toThrow(/already taken/);
    const committed = await scheduleShowtime(db.pool);
    await drain(db.pool, bus);
    await waitFor(() => deliveriesOf(committed) === 1, 'the committed event');
    await sleep(200);
    expect(deliveriesOf(doomed)).toBe(0);
    expect(await outboxRow(doomed.id)).toBeUndefined();
    expect((await db.pool.query(`SELECT 1 FROM showtimes WHERE id = $1`, [doomed.data.showtimeId])).rowCount).toBe(0);
    const row = await outboxRow(committed.id);
    expect(row).toMatchObject({ attempts: 1, last_error: null });
    expect(row!.published_at).toBeInstanceOf(Date);
  });

  it('keeps an event whose publish failed, and publishes it once the broker is back', async () => {
    const viaProxy = createRabbitBus({ url: rabbitUrlVia(proxy), topology, log: quietLog });
    try {
      await proxy.down();
      const event = await scheduleShowtime(db.pool);
      expect(await relayOutbox(db.pool, viaProxy)).toMatchObject({ published: 0 });
      const row = await outboxRow(event.id);
      expect(row).toMatchObject({ published_at: null, attempts: 1 });
      expect(row!.last_error).toMatch(/broker unreachable/);

      await proxy.up();
      await drain(db.pool, viaProxy);
      await waitFor(() => deliveriesOf(event) === 1, 'the event, once the broker is back');
      expect(await outboxRow(event.id)).toMatchObject({ attempts: 2, last_error: null });
    } finally {
      await proxy.up();
      await viaProxy.close();
    }
  });

  it('a running relay rides out a broker outage: events committed meanwhile all go out after it', async () => {
    const viaProxy = createRabbitBus({ url: rabbitUrlVia(proxy), topology, log: quietLog });
    const relay = startOutboxRelay(db.pool, viaProxy, { intervalMs: 50, maxBackoffMs: 400, log: quietLog });
    try {
      const first = await scheduleShowtime(db.pool);
      await waitFor(() => deliveriesOf(first) === 1, 'the event before the outage');
      await proxy.down();
      const during = [await scheduleShowtime(db.pool), await scheduleShowtime(db.pool), await scheduleShowtime(db.pool)];
      await waitFor(async () => (await outboxRow(during[0].id))!.attempts >= 1, 'a failed attempt during the outage');
      expect(during.map(deliveriesOf)).toEqual([0, 0, 0]);
      await proxy.up();
      await waitFor(() => during.every((e) => deliveriesOf(e) === 1), 'the events committed during the outage', 10_000);
      expect(received.filter((e) => during.some((d) => d.id === e.id)).map((e) => e.id)).toEqual(during.map((e) => e.id));
    } finally {
      await proxy.up();
      await relay.stop();
      await viaProxy.close();
    }
  });

  it('wakes on NOTIFY: a committed event is published without waiting for the poll', async () => {
    const relay = startOutboxRelay(db.pool, bus, { intervalMs: 60_000, log: quietLog });
    try {
      await waitFor(listening, 'the relay to LISTEN');
      const event = await scheduleShowtime(db.pool);
      // well inside the 60 s poll: only the NOTIFY can have woken it
      await waitFor(() => deliveriesOf(event) === 1, 'the event, published on NOTIFY', 20_000, 5);
    } finally {
      await relay.stop();
    }
  });

  it('a bounded run (a scheduled relay\'s window) drains what waited, relays what commits until its deadline, then stops by itself', async () => {
    const waiting = [await scheduleShowtime(db.pool), await scheduleShowtime(db.pool)];
    const relay = outboxRelay(db.pool, bus, { intervalMs: 60_000, log: quietLog });
    expect(await relay.drain()).toEqual({ published: 2, failed: 0 });
    const started = Date.now();
    const run = relay.runUntil(started + 1_000);
    await waitFor(listening, 'the run to LISTEN');
    const during = await scheduleShowtime(db.pool);
    await waitFor(() => deliveriesOf(during) === 1, 'the event committed during the run', 900, 5);
    await run;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    // the run let go of its LISTEN when it ended, and polls no more: what commits now waits
    await waitFor(async () => !(await listening()), 'the run to UNLISTEN');
    const after = await scheduleShowtime(db.pool);
    expect([...waiting.map(deliveriesOf), deliveriesOf(after)]).toEqual([1, 1, 0]);
    expect(await outboxRow(after.id)).toMatchObject({ published_at: null, attempts: 0 });
    await expect(relay.runUntil()).rejects.toThrow(/has run already/);
    await drain(db.pool, bus);
  });

  it('drain says what a failed round left unsent', async () => {
    const event = await scheduleShowtime(db.pool);
    const refusing = { publish: async () => Promise.reject(new Error('broker away')) };
    expect(await outboxRelay(db.pool, refusing, { log: quietLog }).drain()).toEqual({ published: 0, failed: 1 });
    expect(await outboxRow(event.id)).toMatchObject({ published_at: null, attempts: 1 });
    await drain(db.pool, bus);
    await waitFor(() => deliveriesOf(event) === 1, 'the event, once published');
  });

  it('publishes in outbox order', async () => {
    const events: Envelope[] = [];
    for (let i = 0; i < 30; i++) events.push(await scheduleShowtime(db.pool));
    await drain(db.pool, bus, 7);
    await waitFor(() => events.every((e) => deliveriesOf(e) === 1), 'all 30 events');
    const ids = new Set(events.map((e) => e.id));
    expect(received.filter((e) => ids.has(e.id)).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('two relays at once publish each row exactly once (SKIP LOCKED splits the rows)', async () => {
    const events: Envelope[] = [];
    await withTransaction(db.pool, async (tx) => {
      for (let i = 0; i < 300; i++) {
        const event = newEvent('showtime.scheduled', { showtimeId: randomUUID(), hall: 'Salle 3', seq: i }, { source: 'catalog' });
        await enqueue(tx, event);
        events.push(event);
      }
    });
    const second = createRabbitBus({ url: RABBITMQ_URL, topology, log: quietLog });
    try {
      const [a, b] = await Promise.all([drain(db.pool, bus, 20), drain(db.pool, second, 20)]);
      expect(a + b).toBe(300);
      await waitFor(() => events.every((e) => deliveriesOf(e) >= 1), 'all 300 events');
      await sleep(300);
      expect(events.filter((e) => deliveriesOf(e) !== 1)).toEqual([]);
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[]) AND attempts = 1 AND published_at IS NOT NULL`, [
        events.map((e) => e.id),
      ]);
      expect(rows[0].n).toBe(300);
    } finally {
      await second.close();
    }
  });
});
