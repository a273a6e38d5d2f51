-- One replica's copy of the chain, and what it must remember across a restart so that it never
-- contradicts a message it signed. JSON columns hold canonical JSON as written (type json, not
-- jsonb: kept byte for byte, and a payload may hold characters jsonb refuses).

-- genesis: the genesis hash (a database never serves two chains); view: the view entered or
-- being changed to, with the NEW-VIEW that opened it; stable: the latest stable checkpoint.
CREATE TABLE chain_meta (
  key text PRIMARY KEY,
  value json NOT NULL
);

-- Committed blocks with their commit certificates, in height order from 1.
CREATE TABLE blocks (
  height bigint PRIMARY KEY,
  hash text NOT NULL,
  header json NOT NULL,
  transactions json NOT NULL,
  certificate json NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT now()
);

-- Where each committed transaction is: how a resubmission is recognised and a proof found.
CREATE TABLE block_transactions (
  id text PRIMARY KEY,
  height bigint NOT NULL,
  position integer NOT NULL
);

-- Every protocol message this replica signed, written before it was sent. Votes and checkpoints
-- at or below the stable checkpoint, and view changes of views left behind, are removed.
CREATE TABLE signed_messages (
  n bigserial PRIMARY KEY,
  kind text NOT NULL,
  view bigint,
  height bigint,
  message json NOT NULL
);
CREATE INDEX signed_messages_height ON signed_messages (height);

-- The highest-view prepared certificate per height above the stable checkpoint: what this
-- replica's VIEW-CHANGE must report after a restart.
CREATE TABLE prepared_certificates (
  height bigint PRIMARY KEY,
  view bigint NOT NULL,
  certificate json NOT NULL
);
