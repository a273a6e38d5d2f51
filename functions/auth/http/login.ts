import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { authConfig, keys } from '../config';
import { signIn } from '../sign-in';
import { deviceToken, email } from '../schemas';

const pool = getPool('auth');

export const handler = route(
  { access: 'public', body: z.strictObject({ email, password: z.string().min(1).max(200), deviceToken: deviceToken.optional() }) },
  async ({ body, sourceIp, event }) => ok(await signIn(pool, keys, { ...body, clientIp: sourceIp, userAgent: event.headers?.['user-agent'] }, authConfig.SCRYPT_COST)),
);
