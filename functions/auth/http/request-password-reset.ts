import { z } from 'zod';
import { route, accepted } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { authConfig } from '../config';
import { requestPasswordReset } from '../password-reset';
import { devMailbox } from '../mailer';
import { email } from '../schemas';

const pool = getPool('auth');

// The answer is the same whether or not the email has an account.
export const handler = route({ access: 'public', body: z.strictObject({ email }) }, async ({ body, sourceIp }) => {
  await requestPasswordReset(pool, devMailbox, { email: body.email, clientIp: sourceIp }, authConfig.PASSWORD_RESET_TTL_SECONDS);
  return accepted({ message: 'If an account exists for this email, a reset token is on its way' });
});
