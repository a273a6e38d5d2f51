// The built-in test provider's session, as its own payment page reads it (amount, status).
import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { testProviderDatabase } from '../providers';
import { sessionOf } from '../test-provider/provider';

const pool = testProviderDatabase();

export const handler = route({ access: 'public', params: z.object({ sessionId: z.string().regex(/^tps_[0-9a-f]{24}$/, 'not a payment session id') }) }, async ({ params }) =>
  ok(await sessionOf(pool, params.sessionId)),
);
