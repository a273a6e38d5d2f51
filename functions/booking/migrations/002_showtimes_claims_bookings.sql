-- Booking's copy of each showtime, carried by showtime.scheduled: what can be held and at what price.
CREATE TABLE showtimes (
  id            uuid PRIMARY KEY,
  movie_id      uuid NOT NULL,
  movie_title   text NOT NULL,
  hall_name     text NOT NULL,
  starts_at     timestamptz NOT NULL,
  currency      text NOT NULL,
  status        text NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
  -- seat id → {category, price}; the seat map and prices as they were scheduled
  seats         jsonb NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The seat rule's arbiter: one row per (showtime, seat), so a seat is sold at most once.
-- A hold is the row with an expiry; taking over an expired hold is one atomic upsert.
CREATE TABLE seat_claims (
  showtime_id   uuid NOT NULL REFERENCES showtimes(id),
  seat_id       text NOT NULL,
  user_id       uuid NOT NULL,
  status        text NOT NULL CHECK (status IN ('held', 'sold')),
  price         integer NOT NULL,
  held_at       timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  booking_id    uuid,
  PRIMARY KEY (showtime_id, seat_id),
  CHECK ((status = 'held') = (expires_at IS NOT NULL)),
  CHECK ((status = 'sold') = (booking_id IS NOT NULL))
);
CREATE INDEX seat_claims_holder ON seat_claims (user_id, status);

-- A checkout freezes a customer's holds of one showtime into an amount to pay.
CREATE TABLE checkouts (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL,
  showtime_id   uuid NOT NULL REFERENCES showtimes(id),
  seats         text[] NOT NULL,
  amount        integer NOT NULL CHECK (amount >= 0),
  currency      text NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'booked', 'rejected')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checkouts_user ON checkouts (user_id, created_at DESC);

CREATE TABLE bookings (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL,
  showtime_id   uuid NOT NULL REFERENCES showtimes(id),
  checkout_id   uuid NOT NULL UNIQUE REFERENCES checkouts(id),
  payment_id    uuid NOT NULL UNIQUE,
  seats         text[] NOT NULL,
  amount        integer NOT NULL,
  currency      text NOT NULL,
  status        text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  cancelled_at  timestamptz,
  cancel_reason text
);
CREATE INDEX bookings_user ON bookings (user_id, created_at DESC);
CREATE INDEX bookings_showtime ON bookings (showtime_id) WHERE status = 'confirmed';
