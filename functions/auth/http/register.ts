import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { authConfig } from '../config';
import { registerCustomer } from '../users';
import { devMailbox } from '../mailer';
import { email, password, personName } from '../schemas';

const pool = getPool('auth');

// A taken email is answered as a new one: its owner hears of it by mail.
export const handler = route(
  { access: 'public', body: z.strictObject({ email, password, name: personName }) },
  async ({ body }) => created({ user: await registerCustomer(pool, devMailbox, body, authConfig.SCRYPT_COST) }),
);
