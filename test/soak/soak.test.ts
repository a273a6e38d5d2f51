// The soak, short: customers through the public API for a minute and a half while the nemesis
// strikes with every kind of fault, then every invariant holds. And beside it (the two run at
// once, each on a platform of its own) a build broken on purpose, to show the checker fails:
// catalog's seat map applying booking events in the order they arrive, as it did before it
// minded the order, and consumers skipping their inbox check (SOAK_SABOTAGE, a switch only this
// test sets); every published event is delivered once more at the end, newest first, and the
// soak reports the seats a cancellation freed that catalog shows sold again. The two run one
// after the other: each starts a platform of its own (a cluster, a gateway, a runner).
import { describe, expect, it } from 'vitest';
import { runSoak, formatReport } from '../../soak/soak';
import { FAULT_KINDS } from '../../soak/nemesis';

const quiet = () => undefined;
process.env.LOG_LEVEL ??= 'error';

describe('soak', () => {
  it('holds every invariant under customers and every kind of fault', async () => {
    const report = await runSoak({ minutes: 1.5, seed: 42, customers: 8, log: quiet });
    const summary = formatReport(report);
    expect(report.anomalies, summary).toEqual([]);
    for (const kind of FAULT_KINDS) expect(report.faults.filter((f) => f.kind === kind).length, `${kind}\n${summary}`).toBeGreaterThanOrEqual(1);
    expect(report.operations['pay (card succeeds)'], summary).toBeGreaterThan(0);
    expect(report.operations['cancel a booking'], summary).toBeGreaterThan(0);
    expect(summary.split('\n').at(-1)).toMatch(/^soak: \d+ operations, \d+ faults injected, 0 anomalies \(seed 42\)$/);
  }, 330_000);

  it('reports what a broken build breaks: a seat map that minds neither order nor repeats', async () => {
    const report = await runSoak({ minutes: 0.4, seed: 7, customers: 6, faults: ['duplicate-delivery'], redeliverAtEnd: true, env: { SOAK_SABOTAGE: 'seat-map-arrival-order,skip-inbox' }, log: quiet });
    const summary = formatReport(report);
    expect(report.anomalies.map((a) => a.invariant), summary).toContain('booking and catalog agree on every seat');
    expect(summary.split('\n').at(-1)).toMatch(/^soak: \d+ operations, \d+ faults injected, [1-9]\d* anomalies \(seed 7\)$/);
  }, 330_000);
});
