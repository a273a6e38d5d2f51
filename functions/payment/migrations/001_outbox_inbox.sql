-- The transactional outbox and the inbox (see layers/events/sql.ts, which a test keeps in step).
-- Events written in the same transaction as the state change they announce; the relay
-- publishes them in position order and stamps published_at once the broker confirmed.
CREATE TABLE IF NOT EXISTS outbox (
  position      bigserial PRIMARY KEY,
  event_id      uuid NOT NULL UNIQUE,
  event_type    text NOT NULL,
  envelope      jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  published_at  timestamptz,
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (position) WHERE published_at IS NULL;

-- One row per event a consumer has applied, written in the transaction of its effect: a
-- redelivered event finds its row and changes nothing.
CREATE TABLE IF NOT EXISTS inbox (
  consumer    text NOT NULL,
  event_id    uuid NOT NULL,
  event_type  text NOT NULL,
  handled_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
