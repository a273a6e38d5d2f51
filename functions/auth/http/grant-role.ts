// An admin gives an account a role: door staff for the check-in scanner, another admin, or
// back to customer. Creates the account when it does not exist and a password is given.
import { z } from 'zod';
import { route, ok, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { authConfig } from '../config';
import { grantRole } from '../users';
import { email, password, personName } from '../schemas';

const pool = getPool('auth');
const body = z.strictObject({ email, role: z.enum(['customer', 'admin', 'door'], 'must be customer, admin or door'), name: personName.optional(), password: password.optional() });

export const handler = route({ access: 'admin', body }, async ({ body }) => {
  const { user, created: isNew } = await grantRole(pool, body, authConfig.SCRYPT_COST);
  return isNew ? created({ user }) : ok({ user });
});
