-- A seat-list hold in one round trip (holds.ts, holdSeats): the showtime's lock (shared),
-- then the customer's own lock of the showtime, then the claim, all in one call, so that a
-- hold is one statement of its own transaction instead of BEGIN, lock, claim, COMMIT.
--
-- Why a function and not one statement: a statement's snapshot is taken before its locks
-- are granted, so a cap counted in the statement that takes the customer's lock could miss
-- a hold committed while it waited. In a function each statement takes a new snapshot: the
-- claim (claim_seats) counts the customer's holds after both locks are granted.
--
-- The rule is read after the showtime's lock, so an operator's change of it (taken under
-- the lock exclusively) waits for this hold or this hold for it. Under the single-seat rule
-- nothing is claimed: the answer says single_seat_rule, and the caller decides under the
-- exclusive lock as before. The locks' keys are those of holds.ts and of every other taker
-- of seats: the ids as sent, as text.
--
-- All or nothing: if it took fewer seats than asked (some taken), the claim is undone, in a
-- block of its own, and the answer still says what it saw for the caller's refusal.
-- The claim itself (also holds.ts's claimSeats, for best available and holds under the
-- single-seat rule, which take their locks first): takes each seat that is free, or whose
-- hold ran out, within the customer's cap; checks the showtime, prices the seats from
-- booking's copy, and answers what it saw and the customer's cart after it.
CREATE FUNCTION claim_seats(p_showtime uuid, p_holder uuid, p_seats text[], p_hold_seconds double precision, p_max_held integer)
  RETURNS TABLE (bookable boolean, held_before integer, known text[], got text[], cart json)
  LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH showtime AS (
    SELECT id FROM showtimes WHERE id = p_showtime AND status = 'scheduled' AND starts_at > now()
  ), held_before AS (
    SELECT count(*)::int AS n FROM seat_claims c
     WHERE c.showtime_id = p_showtime AND c.user_id = p_holder AND c.status = 'held' AND c.expires_at > now() AND NOT (c.seat_id = ANY(p_seats))
  ), seat AS (
    SELECT p.seat_id AS id, p.price FROM showtime JOIN showtime_seats p ON p.showtime_id = showtime.id WHERE p.seat_id = ANY(p_seats)
  ), claimed AS (
    INSERT INTO seat_claims (showtime_id, seat_id, user_id, status, price, held_at, expires_at)
    SELECT p_showtime, seat.id, p_holder, 'held', seat.price, now(), now() + make_interval(secs => p_hold_seconds) FROM seat
     WHERE (SELECT n FROM held_before) + cardinality(p_seats) <= p_max_held
    ON CONFLICT (showtime_id, seat_id) DO UPDATE SET
      user_id    = EXCLUDED.user_id,
      price      = EXCLUDED.price,
      held_at    = CASE WHEN seat_claims.user_id = EXCLUDED.user_id AND seat_claims.expires_at > now() THEN seat_claims.held_at ELSE EXCLUDED.held_at END,
      expires_at = CASE WHEN seat_claims.user_id = EXCLUDED.user_id AND seat_claims.expires_at > now() THEN seat_claims.expires_at ELSE EXCLUDED.expires_at END
    WHERE seat_claims.status = 'held' AND (seat_claims.expires_at <= now() OR seat_claims.user_id = EXCLUDED.user_id)
    RETURNING showtime_id, seat_id, price, expires_at
  ), mine AS (
    -- the caller's cart after this hold: what it just took, and its other live holds
    SELECT showtime_id, seat_id, price, expires_at FROM claimed
    UNION ALL
    SELECT c.showtime_id, c.seat_id, c.price, c.expires_at FROM seat_claims c
     WHERE c.user_id = p_holder AND c.status = 'held' AND c.expires_at > now() AND NOT (c.showtime_id = p_showtime AND c.seat_id = ANY(p_seats))
  )
  SELECT EXISTS (SELECT 1 FROM showtime),
         (SELECT n FROM held_before),
         coalesce((SELECT array_agg(id) FROM seat), '{}'),
         coalesce((SELECT array_agg(seat_id) FROM claimed), '{}'),
         coalesce((SELECT json_agg(json_build_object(
             'showtime_id', m.showtime_id, 'seat_id', m.seat_id, 'price', m.price, 'expires_at', m.expires_at, 'category', p.category,
             'movie_title', s.movie_title, 'hall_name', s.hall_name, 'starts_at', s.starts_at, 'currency', s.currency)
             ORDER BY s.starts_at, m.showtime_id, m.seat_id)
            FROM mine m JOIN showtimes s ON s.id = m.showtime_id JOIN showtime_seats p ON p.showtime_id = m.showtime_id AND p.seat_id = m.seat_id), '[]');
END $$;

CREATE FUNCTION hold_seats(p_showtime text, p_holder text, p_seats text[], p_hold_seconds double precision, p_max_held integer, p_default_strict boolean)
  RETURNS TABLE (single_seat_rule boolean, bookable boolean, held_before integer, known text[], got text[], cart json)
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('showtime-seats:' || p_showtime, 0));
  single_seat_rule := coalesce((SELECT s.no_single_seats FROM showtimes s WHERE s.id = p_showtime::uuid), p_default_strict);
  IF single_seat_rule THEN
    RETURN NEXT;
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('showtime-holder:' || p_showtime || ':' || p_holder, 0));
  BEGIN
    SELECT * INTO bookable, held_before, known, got, cart FROM claim_seats(p_showtime::uuid, p_holder::uuid, p_seats, p_hold_seconds, p_max_held);
    IF cardinality(got) <> cardinality(p_seats) THEN
      RAISE EXCEPTION 'a partial hold is undone' USING ERRCODE = 'BKH01';
    END IF;
  EXCEPTION WHEN SQLSTATE 'BKH01' THEN
    NULL; -- the block's claims are rolled back; what it saw stays in the answer's columns
  END;
  RETURN NEXT;
END $$;
