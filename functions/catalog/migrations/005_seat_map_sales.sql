-- A booking's events can reach the seat map out of order: a booking.confirmed retried after
-- its booking.cancelled, or a cancellation arriving after the seat was sold again. Each sold
-- seat now says which booking sold it and when, and a cancelled booking is remembered, so the
-- seat map ends as booking's claims whatever the order.
ALTER TABLE showtime_seats ADD COLUMN booking_id uuid, ADD COLUMN sold_at timestamptz;
CREATE TABLE seat_map_cancelled_bookings (
  booking_id    uuid PRIMARY KEY,
  cancelled_at  timestamptz NOT NULL DEFAULT now()
);
