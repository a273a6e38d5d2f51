import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { reconciliationReport } from '../reports';
import { paymentMoney } from '../money-source';

const pool = getPool('booking');

// what events may still be carrying is "settling" for this long, not a disagreement
const SETTLING_MS = 2 * 60_000;

export const handler = route({ access: 'admin' }, async () => ok(await reconciliationReport(pool, paymentMoney, SETTLING_MS)));
