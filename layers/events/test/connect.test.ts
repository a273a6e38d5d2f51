// The bus a function gets from its environment; nothing connects until first use.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config';
import { cinemaTopology } from '../../contracts/consumers';
import { eventBusFromEnv } from '../connect';
import { RabbitBus } from '../rabbitmq';
import { SqsBus } from '../sqs';

describe('eventBusFromEnv', () => {
  it('defaults to RabbitMQ on localhost with the cinema topology', async () => {
    const bus = eventBusFromEnv(cinemaTopology, {});
    expect(bus).toBeInstanceOf(RabbitBus);
    expect((bus as RabbitBus).topology.exchange).toBe('cinema.events');
    await bus.close();
  });

  it('builds the SQS adapter, prefixed, for an emulator endpoint', async () => {
    const bus = eventBusFromEnv(cinemaTopology, { EVENT_TRANSPORT: 'sqs', SQS_ENDPOINT_URL: 'http://127.0.0.1:9324', SQS_EMULATOR: 'local-aws-sqs', EVENT_NAME_PREFIX: 'dev-' });
    expect(bus).toBeInstanceOf(SqsBus);
    expect((bus as SqsBus).topology.exchange).toBe('dev-cinema.events');
    await bus.close();
  });

  it('takes a topology already made as it is', async () => {
    const topology = cinemaTopology({ prefix: 'made-' });
    const bus = eventBusFromEnv(topology, { EVENT_NAME_PREFIX: 'ignored-' });
    expect((bus as RabbitBus).topology).toBe(topology);
    await bus.close();
  });

  it('fails at load naming the variable that is wrong', () => {
    expect(() => eventBusFromEnv(cinemaTopology, { EVENT_TRANSPORT: 'kafka' })).toThrow(ConfigError);
    expect(() => eventBusFromEnv(cinemaTopology, { EVENT_TRANSPORT: 'kafka' })).toThrow(/EVENT_TRANSPORT/);
    expect(() => eventBusFromEnv(cinemaTopology, { RABBITMQ_URL: 'http://broker' })).toThrow(/RABBITMQ_URL/);
    expect(() => eventBusFromEnv(cinemaTopology, { EVENT_NAME_PREFIX: 'a b' })).toThrow(/EVENT_NAME_PREFIX/);
  });
});
