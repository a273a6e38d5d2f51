import { route, ok, uuidParam } from '../../../layers/core/http';
import { getPool } from '../../../layers/core/db';
import { cancelBooking } from '../bookings';
import { bookingConfig } from '../config';

const pool = getPool('booking');

export const handler = route({ access: 'signed-in', params: uuidParam('id') }, async ({ caller, params, correlationId }) =>
  ok({ booking: await cancelBooking(pool, caller, params.id, bookingConfig.CANCEL_CUTOFF_MINUTES, correlationId) }),
);
