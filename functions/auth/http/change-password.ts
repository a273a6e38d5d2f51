import { z } from 'zod';
import { route, noContent } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { authConfig } from '../config';
import { changePassword } from '../users';
import { currentPassword, password } from '../schemas';

const pool = getPool('auth');

// currentPassword may be left out only by an account without one, signed in moments ago.
export const handler = route(
  { access: 'signed-in', body: z.strictObject({ currentPassword: currentPassword.optional(), newPassword: password }) },
  async ({ caller, body }) => {
    await changePassword(pool, caller, body.currentPassword, body.newPassword, authConfig.SCRYPT_COST);
    return noContent();
  },
);
