// The one contract every EventBus adapter must meet, run against each of them (after
// node-ts/bus's transport integration suite). Each test declares its own prefixed topology,
// so tests share nothing and may run in any order.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONSUMER_QUEUES, CONSUMERS, cinemaTopology, type ConsumerQueue } from '../../contracts/consumers';
import { EVENT_TYPES } from '../../contracts/events';
import { PublishError, type Delivery, type EventBus } from '../bus';
import { attributesOf, newEvent, type Envelope } from '../envelope';
import { maxAttempts, type Topology } from '../topology';
import { eventSigner, eventVerifier, generateEventKey } from '../signature';
import { sleep, uniquePrefix, waitFor } from './support';

export interface BusHarness {
  bus: EventBus;
  /** Removes and returns what sits in `<queue>.dlq` now. */
  drainDeadLetters(queue: string): Promise<{ body: string }[]>;
  /** Puts a raw body straight into a consumer's queue, as a broken producer would. */
  injectRaw(queue: string, body: string): Promise<void>;
  close(): Promise<void>;
}

export interface BusAdapterFactory {
  name: string;
  /** A connected bus with `topology` declared. */
  open(topology: Topology): Promise<BusHarness>;
  /** A bus of this adapter aimed at an endpoint where nothing listens. */
  openUnreachable(topology: Topology): Promise<EventBus>;
  /** Fast retry schedule for tests. */
  retryDelaysMs: number[];
  /** The shortest real gap the adapter keeps between attempt k and k+1 (SQS counts whole seconds). */
  minimumGapMs(delayMs: number): number;
  /** How long to keep watching before concluding that nothing more will be delivered. */
  settleMs: number;
}

interface Received {
  event: Envelope;
  delivery: Delivery;
  at: number;
}

const showtimeScheduled = (data: Record<string, unknown> = {}) =>
  newEvent('showtime.scheduled', { showtimeId: randomUUID(), hall: 'Salle 1', ...data }, { source: 'catalog' });
const paymentSucceeded = (data: Record<string, unknown> = {}) =>
  newEvent('payment.success', { paymentId: randomUUID(), amountCents: 2400, ...data }, { source: 'payment', correlationId: randomUUID() });

export function eventBusContract(factory: BusAdapterFactory): void {
  describe(`EventBus contract — ${factory.name}`, () => {
    let topology: Topology;
    let harness: BusHarness;

    beforeEach(async () => {
      topology = cinemaTopology({ prefix: uniquePrefix(factory.name), retryDelaysMs: factory.retryDelaysMs });
      harness = await factory.open(topology);
    });
    afterEach(async () => {
      await harness.close();
    });

    const record = async (queue: string, behaviour: (event: Envelope, delivery: Delivery) => void = () => undefined) => {
      const received: Received[] = [];
      await harness.bus.consume(queue, async (event, delivery) => {
        received.push({ event, delivery, at: Date.now() });
        behaviour(event, delivery);
      });
      return received;
    };

    it('fans an event out to every queue bound to its type, and to no other', async () => {
      const queues = CONSUMER_QUEUES;
      const received = new Map<string, Received[]>();
      for (const queue of queues) received.set(queue, await record(queue));
      const events = EVENT_TYPES.map((type) => newEvent(type, { n: 1 }, { source: 'test' }));
      await Promise.all(events.map((e) => harness.bus.publish(e)));

      const expected = (queue: ConsumerQueue) => [...(CONSUMERS[queue].bindings as readonly string[])].sort();
      await waitFor(() => queues.every((q) => received.get(q)!.length >= expected(q).length), 'every bound queue to get its events');
      await sleep(factory.settleMs);
      for (const queue of queues) {
        expect(received.get(queue)!.map((r) => r.event.type).sort(), queue).toEqual(expected(queue));
      }
    });

    it('delivers a handled event once, with its envelope and attributes intact', async () => {
      const received = await record('booking-showtimes');
      const events = Array.from({ length: 20 }, (_, i) =>
        showtimeScheduled({ seq: i, movie: 'Le Fabuleux Destin d’Amélie Poulain 🎬', seats: [{ row: 'A', number: i + 1 }], startsAt: '2031-05-04T19:30:00+02:00', price: { cents: 1250, currency: 'EUR' } }),
      );
      for (const event of events) await harness.bus.publish(event);

      await waitFor(() => received.length >= events.length, 'all events to be handled');
      await sleep(factory.settleMs);
      expect(received).toHaveLength(events.length);
      for (const event of events) {
        const got = received.filter((r) => r.event.id === event.id);
        expect(got).toHaveLength(1);
        expect(got[0].event).toEqual(event);
        expect(got[0].delivery).toEqual({ queue: 'booking-showtimes', attempt: 1, maxAttempts: maxAttempts(topology), attributes: attributesOf(event) });
      }
    });

    it('publish resolves only once the broker holds the event: a consumer that starts later still gets it', async () => {
      const events = [paymentSucceeded(), paymentSucceeded(), paymentSucceeded()];
      for (const event of events) await harness.bus.publish(event);
      const received = await record('booking-payment-succeeded');
      await waitFor(() => received.length >= 3, 'the events published before the consumer started');
      expect(received.map((r) => r.event.id).sort()).toEqual(events.map((e) => e.id).sort());
    });

    it('publish fails loudly with PublishError when the broker cannot be reached', async () => {
      const unreachable = await factory.openUnreachable(topology);
      try {
        const started = Date.now();
        await expect(unreachable.publish(paymentSucceeded())).rejects.toBeInstanceOf(PublishError);
        expect(Date.now() - started).toBeLessThan(10_000);
      } finally {
        await unreachable.close();
      }
    });

    it('retries a failing event with backoff, then dead-letters it, while other events keep flowing', async () => {
      const poison = paymentSucceeded({ poison: true });
      const good = [paymentSucceeded(), paymentSucceeded(), paymentSucceeded()];
      const booking = await record('booking-payment-succeeded', (event) => {
        if (event.data.poison) throw new Error('the cart of this payment cannot be read');
      });
      const ledger = await record('ledger-recorder');

      await harness.bus.publish(poison);
      for (const event of good) await harness.bus.publish(event);

      const poisonAttempts = () => booking.filter((r) => r.event.id === poison.id);
      await waitFor(() => good.every((g) => booking.some((r) => r.event.id === g.id)), 'the good events to be handled');
      const lastGoodAt = Math.max(...good.map((g) => booking.find((r) => r.event.id === g.id)!.at));

      const deadLetters: { body: string }[] = [];
      await waitFor(async () => {
        deadLetters.push(...(await harness.drainDeadLetters('booking-payment-succeeded')));
        return deadLetters.length > 0;
      }, 'the poison event to reach the DLQ');
      expect(deadLetters).toHaveLength(1);
      expect(JSON.parse(deadLetters[0].body)).toEqual(poison);

      const attempts = poisonAttempts();
      expect(attempts.map((r) => r.delivery.attempt)).toEqual(Array.from({ length: maxAttempts(topology) }, (_, i) => i + 1));
      // The good events, published after it, went through while the poison one still had
      // attempts left: its retries did not hold up the queue.
      expect(lastGoodAt).toBeLessThan(attempts[attempts.length - 1].at);
      attempts.slice(1).forEach((r, i) => {
        expect(r.at - attempts[i].at, `gap before attempt ${i + 2}`).toBeGreaterThanOrEqual(factory.minimumGapMs(topology.retryDelaysMs[i]));
      });

      // The retries stayed in the failing queue: the ledger, bound to the same type, saw it once.
      await sleep(factory.settleMs);
      expect(ledger.filter((r) => r.event.id === poison.id)).toHaveLength(1);
      expect(await harness.drainDeadLetters('ledger-recorder')).toEqual([]);
      expect(poisonAttempts()).toHaveLength(maxAttempts(topology));
    });

    it('sends a body that is not an event envelope to the DLQ without handing it to the handler', async () => {
      const received = await record('payment-refunds');
      await harness.injectRaw('payment-refunds', '{"type":"booking.rejected","data":"not an envelope"}');
      const after = newEvent('booking.rejected', { bookingId: randomUUID() }, { source: 'booking' });
      await harness.bus.publish(after);

      const deadLetters: { body: string }[] = [];
      await waitFor(async () => {
        deadLetters.push(...(await harness.drainDeadLetters('payment-refunds')));
        return deadLetters.length > 0;
      }, 'the malformed message to reach the DLQ');
      expect(deadLetters.map((d) => d.body)).toEqual(['{"type":"booking.rejected","data":"not an envelope"}']);
      await waitFor(() => received.length >= 1, 'the valid event behind it');
      expect(received.map((r) => r.event.id)).toEqual([after.id]);
    });

    it('sends an event its authenticator refuses to the DLQ at once, never to the handler, while a genuine one is handled', async () => {
      const payment = generateEventKey();
      const signer = eventSigner('payment', payment.signingKey);
      const authenticate = eventVerifier({ publisherOf: (type) => (type === 'payment.success' ? 'payment' : undefined), publicKeys: { payment: [payment.publicKey] } });
      const received: Received[] = [];
      await harness.bus.consume(
        'booking-payment-succeeded',
        async (event, delivery) => void received.push({ event, delivery, at: Date.now() }),
        { authenticate },
      );
      const forged = paymentSucceeded({ amountCents: 0 });
      const tampered = { ...signer.sign(paymentSucceeded()), data: { paymentId: randomUUID(), amountCents: 1 } };
      const genuine = signer.sign(paymentSucceeded());
      for (const event of [forged, tampered, genuine]) await harness.bus.publish(event);

      const deadLetters: { body: string }[] = [];
      await waitFor(async () => {
        deadLetters.push(...(await harness.drainDeadLetters('booking-payment-succeeded')));
        return deadLetters.length >= 2;
      }, 'the forged events to reach the DLQ');
      expect(deadLetters.map((d) => JSON.parse(d.body).id).sort()).toEqual([forged.id, tampered.id].sort());
      await waitFor(() => received.length >= 1, 'the genuine event');
      await sleep(factory.settleMs);
      expect(received.map((r) => [r.event.id, r.delivery.attempt])).toEqual([[genuine.id, 1]]);
    });

    it('hands events in batches; a poisoned one in a batch is retried and dead-lettered alone, the others handled once', async () => {
      const poison = paymentSucceeded({ poison: true });
      const good = [paymentSucceeded(), paymentSucceeded(), paymentSucceeded(), paymentSucceeded()];
      const batches: Received[][] = [];
      await harness.bus.consumeBatches(
        'booking-payment-succeeded',
        async (batch) => {
          batches.push(batch.map(({ event, delivery }) => ({ event, delivery, at: Date.now() })));
          return batch.filter(({ event }) => event.data.poison).map((item) => ({ item, error: new Error('the cart of this payment cannot be read') }));
        },
        // one batch at a time, gathering for a moment: the five published together travel together
        { concurrency: 1, batchSize: 10, batchWindowMs: 300 },
      );
      for (const event of [good[0], good[1], poison, good[2], good[3]]) await harness.bus.publish(event);

      const deadLetters: { body: string }[] = [];
      await waitFor(async () => {
        deadLetters.push(...(await harness.drainDeadLetters('booking-payment-succeeded')));
        return deadLetters.length > 0;
      }, 'the poisoned event to reach the DLQ');
      await sleep(factory.settleMs);
      deadLetters.push(...(await harness.drainDeadLetters('booking-payment-succeeded')));
      expect(deadLetters.map((d) => JSON.parse(d.body).id)).toEqual([poison.id]);

      const first = batches.find((b) => b.some((r) => r.event.id === poison.id))!;
      expect(first.length, 'the poisoned event shared its first batch').toBeGreaterThan(1);
      const handled = batches.flat();
      for (const g of good) expect(handled.filter((r) => r.event.id === g.id), `good event ${g.id}`).toHaveLength(1);
      expect(handled.filter((r) => r.event.id === poison.id).map((r) => r.delivery.attempt)).toEqual(Array.from({ length: maxAttempts(topology) }, (_, i) => i + 1));
    });

    it('refuses to consume a queue the topology does not declare', async () => {
      await expect(harness.bus.consume('box-office', async () => undefined)).rejects.toThrow(/Unknown queue "box-office"/);
    });
  });
}
