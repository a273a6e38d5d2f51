import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { ROLES, findAccounts } from '../roles';

const pool = getPool('auth');

const query = z.strictObject({ email: z.string().trim().min(1).max(320).optional() });

// the operator's list of accounts, and the roles they can give
export const handler = route({ access: 'admin', query }, async ({ query }) => ok({ items: await findAccounts(pool, query.email), roles: ROLES }));
