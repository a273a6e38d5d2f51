import { z } from 'zod';
import { route, noContent } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { authConfig } from '../config';
import { changePassword } from '../users';
import { password } from '../schemas';

const pool = getPool('auth');

export const handler = route(
  { access: 'signed-in', body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: password }) },
  async ({ caller, body }) => {
    await changePassword(pool, caller, body.currentPassword, body.newPassword, authConfig.SCRYPT_COST);
    return noContent();
  },
);
