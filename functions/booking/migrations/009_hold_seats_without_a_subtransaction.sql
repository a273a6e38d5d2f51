-- hold_seats (migration 008) undid a partial hold in a block with an exception handler, and
-- PostgreSQL starts a subtransaction for every entry into such a block: every hold paid for
-- one (and its own transaction id once it wrote), though a hold that took nothing has nothing
-- to undo, and a one-seat hold is never partial.
--
-- Now only a hold that took some of its seats but not all raises, and the error undoes the
-- whole statement, which is its own transaction: all or nothing as before. What the hold saw
-- goes in the error's DETAIL, as JSON, for the caller's refusal (holds.ts, holdAtOnce).
CREATE OR REPLACE FUNCTION hold_seats(p_showtime text, p_holder text, p_seats text[], p_hold_seconds double precision, p_max_held integer, p_default_strict boolean)
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
  SELECT * INTO bookable, held_before, known, got, cart FROM claim_seats(p_showtime::uuid, p_holder::uuid, p_seats, p_hold_seconds, p_max_held);
  IF cardinality(got) > 0 AND cardinality(got) <> cardinality(p_seats) THEN
    RAISE EXCEPTION 'a partial hold is undone' USING ERRCODE = 'BKH01',
      DETAIL = json_build_object('bookable', bookable, 'held_before', held_before, 'known', known, 'got', got)::text;
  END IF;
  RETURN NEXT;
END $$;
