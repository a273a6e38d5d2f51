import { route, attachment } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { salesCsv } from '../reports';
import { reportQuery, reportRange } from '../report-query';
import { reportTimeZone } from '../money-source';

const pool = getPool('booking');

// one row per ticket, for a spreadsheet
export const handler = route({ access: 'admin', query: reportQuery }, async ({ query }) => {
  const range = reportRange(query, reportTimeZone);
  const name = range.from === range.to ? `sales-${range.from}.csv` : `sales-${range.from}-to-${range.to}.csv`;
  return attachment(await salesCsv(pool, range), 'text/csv; charset=utf-8', name);
});
