import { z } from 'zod';
import { route, noContent } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { authConfig } from '../config';
import { resetPassword } from '../password-reset';
import { password } from '../schemas';

const pool = getPool('auth');

export const handler = route(
  { access: 'public', body: z.strictObject({ token: z.string().min(10).max(200), newPassword: password }) },
  async ({ body }) => {
    await resetPassword(pool, body.token, body.newPassword, authConfig.SCRYPT_COST);
    return noContent();
  },
);
