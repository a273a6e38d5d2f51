import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { updateProfile } from '../users';
import { email, personName } from '../schemas';

const pool = getPool('auth');

export const handler = route(
  {
    access: 'signed-in',
    body: z.strictObject({ name: personName.optional(), email: email.optional() }).refine((b) => b.name !== undefined || b.email !== undefined, 'give at least one of name, email'),
  },
  async ({ caller, body }) => ok({ user: await updateProfile(pool, caller.userId, body) }),
);
