// The SQS adapter against an embedded SQS endpoint (local-aws-sqs, which speaks the JSON
// protocol of @aws-sdk/client-sqs v3), started by this file on a free port.
import type { Server } from 'node:http';
import { DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinemaTopology } from '../../contracts/consumers';
import { createSqsBus, deleteSqsTopology, localSqsClient } from '../sqs';
import { deadLetterQueueName, queueName } from '../topology';
import { sqsQueueName } from '../wire';
import { eventBusContract } from './contract';
import { freePort, quietLog, uniquePrefix } from './support';

let server: Server;
let endpoint: string;
beforeAll(async () => {
  const port = await freePort();
  server = await createSqsServer({ port, hostname: '127.0.0.1', emulateQueueCreationLifecycle: false });
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
});

const VISIBILITY_SECONDS = 2;

eventBusContract({
  name: 'sqs',
  retryDelaysMs: [150, 300],
  // Visibility timeouts are whole seconds: 150 ms of backoff becomes 1 s.
  minimumGapMs: (delay) => Math.ceil(delay / 1000) * 1000 * 0.9,
  // Past the visibility timeout: a message not deleted would be back by then.
  settleMs: VISIBILITY_SECONDS * 1000 + 500,
  async open(topology) {
    const client = localSqsClient(endpoint);
    const bus = createSqsBus({ topology, client, emulator: 'local-aws-sqs', visibilityTimeoutSeconds: VISIBILITY_SECONDS, log: quietLog });
    const url = async (name: string) => (await client.send(new GetQueueUrlCommand({ QueueName: sqsQueueName(name) }))).QueueUrl!;
    return {
      bus,
      async drainDeadLetters(queue) {
        const dlq = await url(deadLetterQueueName(queueName(topology, queue)));
        const out: { body: string }[] = [];
        for (;;) {
          const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
          if (!Messages.length) return out;
          for (const m of Messages) {
            out.push({ body: m.Body ?? '' });
            await client.send(new DeleteMessageCommand({ QueueUrl: dlq, ReceiptHandle: m.ReceiptHandle }));
          }
        }
      },
      async injectRaw(queue, body) {
        await client.send(new SendMessageCommand({ QueueUrl: await url(queueName(topology, queue)), MessageBody: body }));
      },
      async close() {
        await bus.close();
        await deleteSqsTopology(client, topology);
        client.destroy();
      },
    };
  },
  async openUnreachable(topology) {
    return createSqsBus({ topology, client: localSqsClient(`http://127.0.0.1:${await freePort()}`), log: quietLog });
  },
});

describe('SQS adapter', () => {
  it('gives every queue a DLQ through a RedrivePolicy with maxReceiveCount = attempts, idempotently', async () => {
    const client = localSqsClient(endpoint);
    const topology = cinemaTopology({ prefix: uniquePrefix('redrive'), retryDelaysMs: [1_000, 5_000] });
    const bus = createSqsBus({ topology, client, log: quietLog });
    // As on AWS: one receive per attempt.
    try {
      await bus.publish((await import('../envelope')).newEvent('showtime.cancelled', { showtimeId: 's-1' }, { source: 'catalog' }));
      const again = createSqsBus({ topology, client, log: quietLog });
      await again.publish((await import('../envelope')).newEvent('showtime.cancelled', { showtimeId: 's-2' }, { source: 'catalog' }));
      const name = queueName(topology, 'booking-showtimes');
      const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy', 'ApproximateNumberOfMessages'] }));
      const policy = JSON.parse(Attributes!.RedrivePolicy!);
      expect(Number(policy.maxReceiveCount)).toBe(3);
      expect(policy.deadLetterTargetArn).toMatch(new RegExp(`:${sqsQueueName(deadLetterQueueName(name))}$`));
      expect(Number(Attributes!.ApproximateNumberOfMessages)).toBe(2);
      expect(sqsQueueName(deadLetterQueueName(name))).toBe(`${name}-dlq`);
    } finally {
      await bus.close();
      await deleteSqsTopology(client, topology);
      client.destroy();
    }
  });
});
