import { z } from 'zod';
import { loadConfig, env } from '../../layers/core/config';

export const bookingConfig = loadConfig({
  // How long a hold lasts (10 minutes; seats.io uses 15, alf.io 25, pretix 30), and how far
  // renewals may stretch it from the first hold.
  HOLD_SECONDS: env.int(600, 1, 7200),
  HOLD_CAP_SECONDS: env.int(1800, 1, 14_400),
  MAX_SEATS_PER_HOLD: env.int(10, 1, 50),
  // One customer's live holds of one showtime, however many requests they came in.
  MAX_HELD_SEATS_PER_SHOWTIME: env.int(10, 1, 200),
  // The single-seat rule for showtimes whose operator has not set it (PUT /showtimes/{id}/seating-rules).
  NO_SINGLE_SEATS: z.enum(['on', 'off'], 'must be on or off').default('off'),
  // Bookings can be cancelled (and refunded) until this long before the showtime starts.
  CANCEL_CUTOFF_MINUTES: env.int(0, 0, 7 * 24 * 60),
  // A ticket admits from this long before its showtime starts until this long after.
  DOOR_OPENS_MINUTES: env.int(60, 0, 24 * 60),
  TICKET_VALID_MINUTES_AFTER_START: env.int(240, 1, 24 * 60),
  // the explicit call to auth (who a customer is, for an operator's booking search): its
  // function's name, and locally serverless-offline's Lambda endpoint
  AUTH_CUSTOMER_DIRECTORY_FUNCTION: z.string().min(1).default('cinema-local-customerDirectory'),
  // and the explicit call to payment (the money of showtimes, for the operator's reports)
  PAYMENT_FIGURES_FUNCTION: z.string().min(1).default('cinema-local-paymentFigures'),
  LAMBDA_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  AWS_REGION: z.string().default('us-east-1'),
  // the operator's reports count a showtime on its day in the cinema's time zone
  CINEMA_TIME_ZONE: z.string().refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'must be an IANA time zone').default('UTC'),
});

export interface HoldPolicy {
  holdSeconds: number;
  capSeconds: number;
  maxSeats: number;
  /** a customer's live holds of one showtime, across requests */
  maxHeldPerShowtime: number;
  /** the single-seat rule where the showtime does not say */
  noSingleSeats: boolean;
}

export const holdPolicy: HoldPolicy = {
  holdSeconds: bookingConfig.HOLD_SECONDS,
  capSeconds: Math.max(bookingConfig.HOLD_CAP_SECONDS, bookingConfig.HOLD_SECONDS),
  maxSeats: bookingConfig.MAX_SEATS_PER_HOLD,
  maxHeldPerShowtime: bookingConfig.MAX_HELD_SEATS_PER_SHOWTIME,
  noSingleSeats: bookingConfig.NO_SINGLE_SEATS === 'on',
};

export interface TicketPolicy {
  opensMinutes: number;
  validAfterStartMinutes: number;
}

export const ticketPolicy: TicketPolicy = {
  opensMinutes: bookingConfig.DOOR_OPENS_MINUTES,
  validAfterStartMinutes: bookingConfig.TICKET_VALID_MINUTES_AFTER_START,
};
