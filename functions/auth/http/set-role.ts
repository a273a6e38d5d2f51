import { z } from 'zod';
import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { ROLES, setRole } from '../roles';

const pool = getPool('auth');

const body = z.strictObject({ role: z.enum(ROLES as [string, ...string[]], `must be one of ${ROLES.join(', ')}`) });

export const handler = route({ access: 'admin', params: uuidParam('id'), body }, async ({ caller, params, body }) =>
  ok({ user: await setRole(pool, caller.userId, params.id, body.role as (typeof ROLES)[number]) }),
);
