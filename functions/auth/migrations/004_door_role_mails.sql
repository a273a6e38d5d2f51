-- Door staff: they check tickets in at the door, and can do nothing an admin can.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('customer', 'admin', 'door'));

-- Auth tells customers by mail what happened to their bookings and payments (the customer's
-- address is auth's to know): it consumes those events, once per event id.
CREATE TABLE IF NOT EXISTS inbox (
  consumer    text NOT NULL,
  event_id    uuid NOT NULL,
  event_type  text NOT NULL,
  handled_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- A mail about a fact carries the fact's key: whatever the redeliveries, one mail per fact.
ALTER TABLE dev_mailbox ADD COLUMN fact_key text UNIQUE;
