import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { showtimesReport } from '../reports';
import { reportQuery, reportRange } from '../report-query';
import { paymentMoney, reportTimeZone } from '../money-source';

const pool = getPool('booking');

// each showtime of the days, each day and the whole range: seats from booking, money from payment
export const handler = route({ access: 'admin', query: reportQuery }, async ({ query }) => ok(await showtimesReport(pool, paymentMoney, reportRange(query, reportTimeZone))));
