-- The provider's webhooks, kept until payment has them: a real provider retries a webhook
-- for days, so a charge is never lost because our endpoint was down at that moment. Each is
-- written in the same statement as the charge it tells of, tried at once by the payment page,
-- and then by the provider's sender until it is delivered (or refused for good: a 4xx).
CREATE TABLE webhook_events (
  id               text PRIMARY KEY,
  session_id       text NOT NULL REFERENCES sessions (id),
  body             jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_status      integer,
  delivered_at     timestamptz,
  refused_at       timestamptz
);
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_at) WHERE delivered_at IS NULL AND refused_at IS NULL;
