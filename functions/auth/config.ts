import { z } from 'zod';
import { loadConfig, env } from '../../layers/core/config';
import { tokenKeys } from '../../layers/core/jwt';

export const authConfig = loadConfig({
  JWT_SECRET: env.secret(32),
  ACCESS_TOKEN_TTL_SECONDS: env.int(3600, 60, 7 * 24 * 3600),
  // OWASP's floor for scrypt is N=2^17 with r=8; tests lower it to stay fast.
  SCRYPT_COST: z.coerce.number().int().min(2 ** 10).max(2 ** 20).refine((n) => (n & (n - 1)) === 0, 'must be a power of two').default(2 ** 17),
  // reset tokens are short lived: an hour at most
  PASSWORD_RESET_TTL_SECONDS: env.int(3600, 60, 3600),
  // GET /dev/mailbox reads anyone's mail (reset tokens): local stages only, off when deployed
  DEV_MAILBOX: z.enum(['on', 'off']).default('off'),
});

export const keys = tokenKeys(authConfig.JWT_SECRET, authConfig.ACCESS_TOKEN_TTL_SECONDS);
