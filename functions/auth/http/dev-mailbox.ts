// The dev mailbox as an API, for the web app's mailbox page on local stages: what would have
// been mailed to an address. Deployed stages answer 404, as if there were no such route.
import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { NotFound } from '../../../layers/core/errors';
import { authConfig } from '../config';
import { readMailbox } from '../mailer';
import { email } from '../schemas';

const pool = getPool('auth');

export const handler = route({ access: 'public', query: z.strictObject({ to: email }) }, async ({ query }) => {
  if (authConfig.DEV_MAILBOX !== 'on') throw new NotFound('Route');
  return ok({ to: query.to, mails: (await readMailbox(pool, query.to)).slice(0, 20) });
});
