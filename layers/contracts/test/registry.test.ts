// The contracts as the rest of the project reads them: each consumer of the registry has its
// handler file and its one name, and nothing declares a consumer anywhere else. No services.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CONSUMER_QUEUES, CONSUMERS, cinemaTopology, consumerFunction, consumerModule } from '../consumers';
import { EVENT_TYPES, EVENTS, PUBLISHING_DOMAINS } from '../events';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const domains = readdirSync(join(ROOT, 'functions'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

describe('the consumer registry', () => {
  it('gives each consumer one name: its queue, its function in camelCase, its handler file', () => {
    expect(consumerFunction('booking-payment-succeeded')).toBe('bookingPaymentSucceeded');
    expect(consumerModule('booking-payment-succeeded')).toEqual({ domain: 'booking', path: 'functions/booking/consumers/payment-succeeded' });
    expect(new Set(CONSUMER_QUEUES.map(consumerFunction)).size).toBe(CONSUMER_QUEUES.length);
    for (const queue of CONSUMER_QUEUES) {
      const { domain, path } = consumerModule(queue);
      expect(domains, queue).toContain(domain);
      const file = join(ROOT, `${path}.ts`);
      expect(existsSync(file), `${path}.ts`).toBe(true);
      const text = readFileSync(file, 'utf8');
      // the handler consumes and records in its inbox under the queue's own name
      expect(text, path).toContain(`const queue: ConsumerQueue = '${queue}';`);
      expect(text, path).toMatch(/export const handler = consumerHandler\(queue,/);
      // built with the cinema's handler, which checks who published each event before acting
      expect(text, path).toContain("import { consumerHandler } from '../../../layers/contracts/consumer-handler';");
    }
  });

  it('knows every consumer handler there is', () => {
    const files = domains.flatMap((domain) => {
      const dir = join(ROOT, 'functions', domain, 'consumers');
      return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => `functions/${domain}/consumers/${f.slice(0, -3)}`) : [];
    });
    expect(files.sort()).toEqual(CONSUMER_QUEUES.map((q) => consumerModule(q).path).sort());
  });

  it('binds queues to event types the contracts declare, published by a domain of the project', () => {
    for (const queue of CONSUMER_QUEUES) for (const type of CONSUMERS[queue].bindings) expect(EVENT_TYPES, `${queue}: ${type}`).toContain(type);
    expect(PUBLISHING_DOMAINS).toEqual(['catalog', 'booking', 'payment']);
    for (const type of EVENT_TYPES) expect(domains, type).toContain(EVENTS[type].source);
    // the topology is the registry's bindings, queue by queue
    expect(cinemaTopology().queues).toEqual(CONSUMER_QUEUES.map((name) => ({ name, bindings: [...CONSUMERS[name].bindings] })));
  });

  it('declares no consumer function in the domains\' functions.yml: they come from the registry', () => {
    for (const domain of domains) {
      const file = join(ROOT, 'functions', domain, 'functions.yml');
      if (!existsSync(file)) continue;
      const fns = parseYaml(readFileSync(file, 'utf8')) as Record<string, { handler: string }>;
      for (const [fn, def] of Object.entries(fns)) {
        expect(def.handler, fn).not.toMatch(/\/consumers\//);
        expect(CONSUMER_QUEUES.map(consumerFunction), fn).not.toContain(fn);
      }
    }
  });
});
