// npm run soak -- --minutes N --seed S [--customers C]: prints the report; exits 1 on any anomaly.
import { parseArgs } from 'node:util';

process.env.LOG_LEVEL ??= 'error';
const { values } = parseArgs({ options: { minutes: { type: 'string', default: '2' }, seed: { type: 'string', default: String(Date.now() % 100_000) }, customers: { type: 'string', default: '10' } } });
const minutes = Number(values.minutes);
const seed = Number(values.seed);
const customers = Number(values.customers);
if (!(minutes > 0) || !Number.isInteger(seed) || !(customers > 0)) {
  console.error('usage: npm run soak -- --minutes N --seed S [--customers C]  (N > 0, S an integer)');
  process.exit(2);
}
const { runSoak, formatReport } = await import('./soak');
const report = await runSoak({ minutes, seed, customers });
console.log(formatReport(report));
process.exit(report.anomalies.length ? 1 : 0);
