import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { updateProfile } from '../users';
import { devMailbox } from '../mailer';
import { currentPassword, email, personName } from '../schemas';

const pool = getPool('auth');

export const handler = route(
  {
    access: 'signed-in',
    body: z
      .strictObject({ name: personName.optional(), email: email.optional(), currentPassword: currentPassword.optional() })
      .refine((b) => b.name !== undefined || b.email !== undefined, 'give at least one of name, email'),
  },
  async ({ caller, body }) => ok({ user: await updateProfile(pool, devMailbox, caller, body) }),
);
