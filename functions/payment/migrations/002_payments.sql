CREATE TABLE payments (
  id                   uuid PRIMARY KEY,
  user_id              uuid NOT NULL,
  -- one payment per checkout: paying twice for the same seats is not possible
  checkout_id          uuid NOT NULL UNIQUE,
  showtime_id          uuid NOT NULL,
  seats                text[] NOT NULL,
  amount               integer NOT NULL CHECK (amount >= 0),
  currency             text NOT NULL,
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
  provider             text NOT NULL,
  provider_session_id  text NOT NULL UNIQUE,
  failure_reason       text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_user ON payments (user_id, created_at DESC);

-- Every webhook the provider sent us, once: a duplicate delivery finds its row and changes nothing.
CREATE TABLE webhook_receipts (
  provider_event_id  text PRIMARY KEY,
  payment_id         uuid REFERENCES payments(id),
  kind               text NOT NULL,
  received_at        timestamptz NOT NULL DEFAULT now(),
  body               jsonb NOT NULL
);

CREATE TABLE refunds (
  id          uuid PRIMARY KEY,
  payment_id  uuid NOT NULL UNIQUE REFERENCES payments(id),
  amount      integer NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The built-in test provider's own records (locally it plays the card network).
CREATE TABLE test_provider_sessions (
  id          text PRIMARY KEY,
  amount      integer NOT NULL,
  currency    text NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'declined', 'refunded')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
