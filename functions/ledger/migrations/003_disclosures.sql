-- The clear values and secret salts behind a fact's commitments on the chain (user id, seats,
-- amount): private to the ledger, handed only to the booking's owner inside its proof. Entries
-- recorded before commitments have none (their transaction holds the values in clear).
ALTER TABLE ledger_entries ADD COLUMN disclosure jsonb;
