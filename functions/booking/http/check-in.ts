// A door device's scan, live or from its offline journal. Whatever the code holds, the answer
// is a verdict (200), never a 5xx; only a malformed request is refused.
import { z } from 'zod';
import { route, ok } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { ticketKeys } from '../ticket-keys';
import { checkIn } from '../checkins';

const pool = getPool('booking');
const id = (what: string) => z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, `${what} must be 1–100 letters, digits or . _ : -`);
const verdicts = ['admitted', 'already-admitted', 'revoked', 'wrong-showtime', 'not-yet-open', 'closed', 'not-a-ticket'] as const;

const body = z.strictObject({
  code: z.string().max(2000, 'code is at most 2,000 characters'),
  deviceId: id('deviceId'),
  scanId: id('scanId'),
  scannedAt: z.iso.datetime({ offset: true, message: 'scannedAt must be an ISO 8601 date-time' }),
  offline: z.boolean().optional(),
  localVerdict: z.enum(verdicts).optional(),
  showtimeId: z.uuid('showtimeId must be a UUID').optional(),
});

export const handler = route({ access: 'door', body }, async ({ body }) => ok({ checkin: await checkIn(pool, ticketKeys(), body) }));
