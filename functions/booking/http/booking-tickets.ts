import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { ticketPolicy } from '../config';
import { ticketKeys } from '../ticket-keys';
import { bookingTickets, ensureTickets } from '../tickets';

const pool = getPool('booking');

export const handler = route({ access: 'signed-in', params: uuidParam('id') }, async ({ caller, params }) => {
  const tickets = await bookingTickets(pool, caller, params.id);
  // a booking confirmed before tickets were issued gets them now (its owner asked, so it is theirs)
  if (tickets.booking.status === 'confirmed' && !tickets.booking.reference) {
    await ensureTickets(pool, ticketKeys(), ticketPolicy, params.id);
    return ok(await bookingTickets(pool, caller, params.id));
  }
  return ok(tickets);
});
