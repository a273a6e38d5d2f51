// The web app trades the callback's one-time code for our session.
import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { keys } from '../config';
import { exchangeSignInCode } from '../oidc';

const pool = getPool('auth');

export const handler = route({ access: 'public', body: z.strictObject({ code: z.string().min(20).max(100) }) }, async ({ body, sourceIp, event }) =>
  ok(await exchangeSignInCode(pool, keys, body.code, { clientIp: sourceIp, userAgent: event.headers?.['user-agent'] })),
);
