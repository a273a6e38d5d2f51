import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { moviesReport } from '../reports';
import { reportQuery, reportRange } from '../report-query';
import { paymentMoney, reportTimeZone } from '../money-source';

const pool = getPool('booking');

export const handler = route({ access: 'admin', query: reportQuery }, async ({ query }) => ok(await moviesReport(pool, paymentMoney, reportRange(query, reportTimeZone))));
