-- The booking's reference as people read and type it ("K7Q-4MX"); bookings made before it was
-- given have none until their tickets are issued.
ALTER TABLE bookings ADD COLUMN reference text UNIQUE;

-- One ticket per seat of a confirmed booking. Its code is signed by a ticket-issuing key
-- (layers/contracts/ticket-code.ts); a cancellation revokes it, a re-issue revokes it and
-- gives the seat a new ticket with a new code.
CREATE TABLE tickets (
  id             uuid PRIMARY KEY,
  booking_id     uuid NOT NULL REFERENCES bookings(id),
  showtime_id    uuid NOT NULL REFERENCES showtimes(id),
  seat_id        text NOT NULL,
  key_id         integer NOT NULL,
  code           text NOT NULL,
  valid_from     timestamptz NOT NULL,
  valid_until    timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
  issued_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at     timestamptz,
  revoke_reason  text,
  replaces       uuid REFERENCES tickets(id),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
-- a seat of a booking has one valid ticket at a time
CREATE UNIQUE INDEX tickets_one_valid_per_seat ON tickets (booking_id, seat_id) WHERE status = 'valid';
CREATE INDEX tickets_showtime ON tickets (showtime_id);

-- The door's arbiter: a ticket is admitted once, whatever the concurrency (its primary key).
CREATE TABLE admissions (
  ticket_id    uuid PRIMARY KEY REFERENCES tickets(id),
  showtime_id  uuid NOT NULL,
  scan_id      text NOT NULL,
  device_id    text NOT NULL,
  admitted_at  timestamptz NOT NULL,
  offline      boolean NOT NULL
);
CREATE INDEX admissions_showtime ON admissions (showtime_id);

-- Every scan a door device reported, once per scan id (a journal uploaded twice counts once),
-- with the verdict it got.
CREATE TABLE checkin_scans (
  scan_id      text PRIMARY KEY,
  device_id    text NOT NULL,
  showtime_id  uuid,
  ticket_id    uuid,
  seat_id      text,
  verdict      text NOT NULL,
  reason       text NOT NULL,
  scanned_at   timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  offline      boolean NOT NULL,
  -- set when the verdict is already-admitted: who admitted it first
  first_admitted_at  timestamptz,
  first_device_id    text
);
CREATE INDEX checkin_scans_showtime ON checkin_scans (showtime_id, received_at);

-- A ticket let in by a second device while offline (it could not know of the first): it cannot
-- be prevented, so it is shown to the supervisor.
CREATE TABLE checkin_conflicts (
  ticket_id       uuid NOT NULL REFERENCES tickets(id),
  device_id       text NOT NULL,
  showtime_id     uuid NOT NULL,
  scan_id         text NOT NULL,
  scanned_at      timestamptz NOT NULL,
  first_device_id text NOT NULL,
  first_admitted_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, device_id)
);
