// What serverless.yml reads for the consumers when it packages (infra/aws/consumers.cjs), checked
// against the registry without packaging: a function per consumer on every target with that
// target's event source and environment, and on SQS a queue and a DLQ each. package.test.ts
// checks the packaged template itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/local/gateway';
import { CONSUMER_QUEUES, CONSUMERS, consumerFunction, consumerModule, type ConsumerContract } from '../../layers/contracts/consumers';

describe('what serverless.yml reads for the consumers (infra/aws/consumers.cjs)', () => {
  const derived = createRequire(import.meta.url)('../../infra/aws/consumers.cjs') as {
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
