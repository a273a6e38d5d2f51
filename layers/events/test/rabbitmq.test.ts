// The RabbitMQ adapter against a real broker: the shared contract, then what only RabbitMQ
// has — topology declaration, confirms on a missing exchange, and surviving a dropped connection.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinemaTopology } from '../../contracts/consumers';
import { PublishError } from '../bus';
import { newEvent, type Envelope } from '../envelope';
import { assertTopology, createRabbitBus, deleteTopology, socketOf } from '../rabbitmq';
import { deadLetterQueueName, queueName, retryQueueName, type Topology } from '../topology';
import { eventBusContract } from './contract';
import { freePort, quietLog, RABBITMQ_URL, rabbitUrlVia, sleep, TcpProxy, uniquePrefix, waitFor } from './support';

let admin: amqp.ChannelModel;
beforeAll(async () => {
  admin = await amqp.connect(RABBITMQ_URL);
});
afterAll(async () => {
  await admin.close();
});

async function withChannel<T>(work: (channel: amqp.Channel) => Promise<T>): Promise<T> {
  const channel = await admin.createChannel();
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

eventBusContract({
  name: 'rabbitmq',
  retryDelaysMs: [150, 300],
  minimumGapMs: (delay) => delay * 0.9,
  settleMs: 300,
  async open(topology) {
    const bus = createRabbitBus({ url: RABBITMQ_URL, topology, log: quietLog });
    return {
      bus,
      async drainDeadLetters(queue) {
        return withChannel(async (channel) => {
          const out: { body: string }[] = [];
          for (;;) {
            const msg = await channel.get(deadLetterQueueName(queueName(topology, queue)), { noAck: true });
            if (!msg) return out;
            out.push({ body: msg.content.toString('utf8') });
          }
        });
      },
      async injectRaw(queue, body) {
        await withChannel(async (channel) => {
          channel.sendToQueue(queueName(topology, queue), Buffer.from(body), { persistent: true });
        });
      },
      async close() {
        await bus.close();
        await withChannel((channel) => deleteTopology(channel, topology));
      },
    };
  },
  async openUnreachable(topology) {
    return createRabbitBus({ url: `amqp://guest:guest@127.0.0.1:${await freePort()}`, topology, log: quietLog });
  },
});

describe('RabbitMQ adapter', () => {
  const event = () => newEvent('payment.success', { paymentId: 'p-1', amountCents: 1800 }, { source: 'payment' });

  it('declares the topology idempotently: DLX, a DLQ and one retry queue per delay for every queue', async () => {
    const topology = cinemaTopology({ prefix: uniquePrefix('declare'), retryDelaysMs: [100, 2_000, 2_000] });
    try {
      await withChannel(async (channel) => {
        await assertTopology(channel, topology);
        await assertTopology(channel, topology);
      });
      await withChannel(async (channel) => {
        await channel.checkExchange(topology.exchange);
        await channel.checkExchange(topology.deadLetterExchange);
        for (const spec of topology.queues) {
          const q = queueName(topology, spec.name);
          for (const name of [q, deadLetterQueueName(q), retryQueueName(q, 100), retryQueueName(q, 2_000)]) {
            expect((await channel.checkQueue(name)).queue).toBe(name);
          }
        }
      });
      expect(retryQueueName('ledger-recorder', 2_000)).toBe('ledger-recorder.retry.2s');
    } finally {
      await withChannel((channel) => deleteTopology(channel, topology));
    }
  });

  it('rejects a publish the broker refuses (no such exchange) instead of dropping it', async () => {
    const topology = cinemaTopology({ prefix: uniquePrefix('noexchange') });
    const bus = createRabbitBus({ url: RABBITMQ_URL, topology, declareTopology: false, log: quietLog });
    try {
      await expect(bus.publish(event())).rejects.toBeInstanceOf(PublishError);
    } finally {
      await bus.close();
    }
  });

  it('refuses to publish an invalid envelope', async () => {
    const topology = cinemaTopology({ prefix: uniquePrefix('invalid') });
    const bus = createRabbitBus({ url: RABBITMQ_URL, topology, declareTopology: false, log: quietLog });
    try {
      await expect(bus.publish({ ...event(), id: 'not-a-uuid' })).rejects.toThrow(/invalid envelope/);
    } finally {
      await bus.close();
    }
  });

  it("sends a turn's frames in one socket write: twenty publishes at once leave together, and all are confirmed", async () => {
    const topology = cinemaTopology({ prefix: uniquePrefix('turn') });
    const bus = createRabbitBus({ url: RABBITMQ_URL, topology, log: quietLog });
    try {
      const socket = socketOf(await bus.connection());
      await bus.publish(event()); // the publishing channel opened, so the burst below is publishes only
      const writes: number[] = [];
      const counted = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
      for (const method of ['_write', '_writev'] as const) {
        const original = counted[method];
        counted[method] = function (this: unknown, ...args: unknown[]) {
          writes.push(method === '_writev' ? (args[0] as unknown[]).length : 1);
          return original.apply(this, args);
        };
      }
      await Promise.all(Array.from({ length: 20 }, () => bus.publish(event())));
      expect(writes.reduce((a, b) => a + b, 0)).toBe(20); // every frame was sent...
      expect(writes.length).toBeLessThanOrEqual(2); // ...in one write (two if a confirm came back mid-turn)
      await withChannel(async (channel) => {
        expect((await channel.checkQueue(queueName(topology, 'booking-payment-succeeded'))).messageCount).toBe(21);
      });
    } finally {
      await bus.close();
      await withChannel((channel) => deleteTopology(channel, topology));
    }
  });

  describe('when the connection drops', () => {
    let proxy: TcpProxy;
    let topology: Topology;
    beforeAll(async () => {
      proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(RABBITMQ_URL).port || 5672) });
      topology = cinemaTopology({ prefix: uniquePrefix('reconnect') });
    });
    afterAll(async () => {
      await proxy.close();
      await withChannel((channel) => deleteTopology(channel, topology));
    });

    it('fails publishes while the broker is away, then publishes and consumes again by itself', async () => {
      const bus = createRabbitBus({ url: rabbitUrlVia(proxy), topology, reconnectDelayMs: { min: 50, max: 400 }, log: quietLog });
      const received: Envelope[] = [];
      try {
        await bus.consume('booking-payment-succeeded', async (e) => void received.push(e));
        const before = event();
        await bus.publish(before);
        await waitFor(() => received.length === 1, 'the first event');

        await proxy.down();
        await sleep(100);
        await expect(bus.publish(event())).rejects.toBeInstanceOf(PublishError);

        await proxy.up();
        const after = event();
        await waitFor(async () => bus.publish(after).then(() => true, () => false), 'publishing to work again', 10_000, 100);
        await waitFor(() => received.some((e) => e.id === after.id), 'the consumer to come back and get the new event', 10_000);
        // Its ack may have been cut off with the connection: at least once, never lost.
        expect(received.filter((e) => e.id === before.id).length).toBeGreaterThanOrEqual(1);
      } finally {
        await bus.close();
      }
    });
  });
});
