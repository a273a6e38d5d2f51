import { loadConfig, env } from '../../layers/core/config';

export const bookingConfig = loadConfig({
  // How long a hold lasts, and how far renewals may stretch it from the first hold.
  HOLD_MINUTES: env.int(10, 1, 120),
  HOLD_CAP_MINUTES: env.int(30, 1, 240),
  MAX_SEATS_PER_HOLD: env.int(10, 1, 50),
  // Bookings can be cancelled (and refunded) until this long before the showtime starts.
  CANCEL_CUTOFF_MINUTES: env.int(0, 0, 7 * 24 * 60),
});

export interface HoldPolicy {
  holdSeconds: number;
  capSeconds: number;
  maxSeats: number;
}

export const holdPolicy: HoldPolicy = {
  holdSeconds: bookingConfig.HOLD_MINUTES * 60,
  capSeconds: Math.max(bookingConfig.HOLD_CAP_MINUTES, bookingConfig.HOLD_MINUTES) * 60,
  maxSeats: bookingConfig.MAX_SEATS_PER_HOLD,
};
