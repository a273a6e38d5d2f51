import { z } from 'zod';
import { route, created } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { ticketPolicy } from '../config';
import { ticketKeys } from '../ticket-keys';
import { reissueTicket } from '../tickets';

const pool = getPool('booking');
const params = z.object({ id: z.uuid('id must be a UUID'), ticketId: z.uuid('ticketId must be a UUID') });

export const handler = route({ access: 'signed-in', params }, async ({ caller, params }) =>
  created({ ticket: await reissueTicket(pool, ticketKeys(), ticketPolicy, caller, params.id, params.ticketId) }),
);
