-- The availability version's trigger (migration 004) plans its statements once per connection,
-- as hold_seats does since migration 010. Its two statements take the changed showtimes as an
-- array, whose length the planner cannot know, so it judged their generic plans dearer and
-- re-planned both in every statement that changed a claim: a sale, a release, a renewal, a
-- block, and the plain upsert of the seat bench, which ran 2,592 upserts/s with this against
-- 2,077/s without (8 connections, same machine, minutes apart). The generic plans use the
-- primary key of showtime_claim_versions and the live holds' index (test/db/query-plans.test.ts).
ALTER FUNCTION seat_claims_changed() SET plan_cache_mode = force_generic_plan;
