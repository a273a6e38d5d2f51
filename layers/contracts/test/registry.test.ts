// The contracts as the rest of the project reads them: each consumer of the registry has its
// handler file and its one name, nothing declares a consumer anywhere else, and what
// serverless.yml reads for the deployed stage is derived from the registry. No services.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../infra/local/gateway';
import { CONSUMER_QUEUES, CONSUMERS, cinemaTopology, consumerFunction, consumerModule, type ConsumerContract } from '../consumers';
import { EVENT_TYPES, EVENTS, PUBLISHING_DOMAINS } from '../events';

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

describe('what serverless.yml reads for the consumers (infra/aws/consumers.cjs)', () => {
  const derived = createRequire(import.meta.url)('../../../infra/aws/consumers.cjs') as {
    functions: Record<string, Record<string, { handler: string; environment?: string; events: Record<string, any>[] }>>;
    resources: Record<string, { Resources?: Record<string, { Type: string; Properties: any }> }>;
  };
  // its top-level groups (the file holds CloudFormation tags, which js-yaml does not know)
  const environmentGroups = [...readFileSync(join(ROOT, 'infra/aws/environment.yml'), 'utf8').matchAll(/^([a-z][\w-]*):/gm)].map((m) => m[1]);

  it('has a function per consumer on every target, with that target\'s event source', () => {
    expect(Object.keys(derived.functions).sort()).toEqual(['offline', 'rabbitmq', 'sqs']);
    for (const [target, functions] of Object.entries(derived.functions)) {
      expect(Object.keys(functions).sort(), target).toEqual(CONSUMER_QUEUES.map(consumerFunction).sort());
      for (const queue of CONSUMER_QUEUES) {
        const fn = functions[consumerFunction(queue)];
        expect(fn.handler).toBe(`${consumerModule(queue).path}.handler`);
        const events = fn.events.map((e) => Object.keys(e)[0]);
        expect(events, `${target} ${queue}`).toEqual(target === 'offline' ? [] : [target]);
        if (target === 'rabbitmq') expect(fn.events[0].rabbitmq.queue).toBe(`\${param:eventNamePrefix}${queue}`);
        // an extra environment names a group environment.yml has for this target
        const group = (CONSUMERS[queue] as ConsumerContract).environment;
        if (group) {
          expect(fn.environment).toBe(`\${file(infra/aws/environment.yml):${group}-${target}}`);
          expect(environmentGroups).toContain(`${group}-${target}`);
        } else expect(fn.environment).toBeUndefined();
      }
    }
  });

  it('has SQS queues and DLQs for the sqs target only, and lets the relays send to the queues', () => {
    expect(derived.resources.offline).toEqual({});
    expect(derived.resources.rabbitmq).toEqual({});
    const resources = derived.resources.sqs.Resources!;
    const queues = Object.values(resources).filter((r) => r.Type === 'AWS::SQS::Queue');
    expect(queues.map((q) => q.Properties.QueueName).sort()).toEqual(CONSUMER_QUEUES.flatMap((q) => [`\${param:eventNamePrefix}${q}`, `\${param:eventNamePrefix}${q}-dlq`]).sort());
    const sends = resources.OutboxRelaySendsEvents.Properties.PolicyDocument.Statement[0];
    expect(sends.Resource).toHaveLength(CONSUMER_QUEUES.length);
    for (const { 'Fn::GetAtt': [id] } of sends.Resource) expect(resources[id].Properties.RedrivePolicy.maxReceiveCount).toBe(4);
  });
});
