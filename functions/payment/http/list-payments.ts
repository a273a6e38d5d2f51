import { z } from 'zod';
import { route, ok, pageQuery } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { listPayments } from '../payments';

const pool = getPool('payment');

export const handler = route({ access: 'signed-in', query: z.strictObject(pageQuery) }, async ({ caller, query }) =>
  ok(await listPayments(pool, caller.userId, query.page, query.pageSize)),
);
