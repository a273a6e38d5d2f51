-- Every money and booking fact to be written on the chain, from the moment its event
-- arrives until the cluster has made it final. Pending entries survive any outage of the
-- cluster; a submitter retries them with backoff until they are final.
CREATE TABLE ledger_entries (
  event_id        uuid PRIMARY KEY,
  event_type      text NOT NULL,
  booking_id      uuid,
  payment_id      uuid,
  user_id         uuid NOT NULL,
  -- the signed transaction, fixed once: a retry submits exactly the same bytes
  transaction     jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'final')),
  height          bigint,
  block_hash      text,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  final_at        timestamptz
);
CREATE INDEX ledger_entries_due ON ledger_entries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ledger_entries_booking ON ledger_entries (booking_id);
CREATE INDEX ledger_entries_payment ON ledger_entries (payment_id);
