import { route, attachment } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { RuleBroken } from '../../../layers/core/errors';
import { salesCsv } from '../reports';
import { reportQuery, reportRange } from '../report-query';
import { reportTimeZone } from '../money-source';

const pool = getPool('booking');

// a Lambda's answer carries at most 6 MB: about 30,000 tickets of CSV
const MAX_EXPORT_BYTES = 5_500_000;

// one row per ticket, for a spreadsheet
export const handler = route({ access: 'admin', query: reportQuery }, async ({ query }) => {
  const range = reportRange(query, reportTimeZone);
  const name = range.from === range.to ? `sales-${range.from}.csv` : `sales-${range.from}-to-${range.to}.csv`;
  const csv = await salesCsv(pool, range);
  if (Buffer.byteLength(csv) > MAX_EXPORT_BYTES) throw new RuleBroken(`The sales of ${range.from} to ${range.to} are more than one export can carry; ask for fewer days`);
  return attachment(csv, 'text/csv; charset=utf-8', name);
});
