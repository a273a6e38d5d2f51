import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { authConfig } from '../config';
import { registerUser } from '../users';
import { email, password, personName } from '../schemas';

const pool = getPool('auth');

export const handler = route(
  { access: 'public', body: z.strictObject({ email, password, name: personName }) },
  async ({ body }) => created({ user: await registerUser(pool, body, authConfig.SCRYPT_COST) }),
);
