-- Operator-blocked seats (house seats, a broken seat) are claims too, so the seat rule's one
-- upsert, which takes only free seats and expired holds, can never hold one.
ALTER TABLE seat_claims DROP CONSTRAINT seat_claims_status_check;
ALTER TABLE seat_claims ADD CONSTRAINT seat_claims_status_check CHECK (status IN ('held', 'sold', 'blocked'));

-- Live holds of a showtime by expiry: the earliest one is a single index probe.
CREATE INDEX seat_claims_live_holds ON seat_claims (showtime_id, expires_at) WHERE status = 'held';

-- Availability's version, one row per showtime. `counter` moves with every statement that
-- changes a claim of the showtime (the triggers below run inside that statement), and
-- `next_expiry` is the earliest expiry of a live hold as of that statement: a hold that
-- expires changes availability with no statement at all, and readers see it from here.
CREATE TABLE showtime_claim_versions (
  showtime_id  uuid PRIMARY KEY,
  counter      bigint NOT NULL,
  next_expiry  timestamptz
);

CREATE FUNCTION bump_claim_versions(changed uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(changed) = 0 THEN RETURN; END IF;
  -- in showtime order, so two statements touching several showtimes lock them alike
  INSERT INTO showtime_claim_versions AS v (showtime_id, counter)
  SELECT id, 1 FROM unnest(changed) AS id ORDER BY id
  ON CONFLICT (showtime_id) DO UPDATE SET counter = v.counter + 1;
  -- A statement of its own: its snapshot is taken once the rows above are locked, so it sees
  -- every claim committed by whoever held them before; the last writer's expiry is exact.
  UPDATE showtime_claim_versions v
     SET next_expiry = (SELECT min(c.expires_at) FROM seat_claims c WHERE c.showtime_id = v.showtime_id AND c.status = 'held' AND c.expires_at > now())
   WHERE v.showtime_id = ANY(changed);
END $$;

CREATE FUNCTION seat_claims_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_claim_versions(ARRAY(SELECT DISTINCT showtime_id FROM changed_claims));
  RETURN NULL;
END $$;

-- Statement-level, so a hold of ten seats is one bump, and no code path that changes claims
-- (hold, release, renew, sale, cancellation, blocking) can forget it.
CREATE TRIGGER seat_claims_inserted AFTER INSERT ON seat_claims REFERENCING NEW TABLE AS changed_claims FOR EACH STATEMENT EXECUTE FUNCTION seat_claims_changed();
CREATE TRIGGER seat_claims_updated AFTER UPDATE ON seat_claims REFERENCING NEW TABLE AS changed_claims FOR EACH STATEMENT EXECUTE FUNCTION seat_claims_changed();
CREATE TRIGGER seat_claims_deleted AFTER DELETE ON seat_claims REFERENCING OLD TABLE AS changed_claims FOR EACH STATEMENT EXECUTE FUNCTION seat_claims_changed();

-- Claims made before this migration get their version row now.
INSERT INTO showtime_claim_versions (showtime_id, counter, next_expiry)
SELECT showtime_id, 1, min(expires_at) FILTER (WHERE status = 'held' AND expires_at > now()) FROM seat_claims GROUP BY showtime_id;
