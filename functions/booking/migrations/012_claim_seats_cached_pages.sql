-- The claim (claim_seats, migration 008) is a few index probes: the seats asked for, by
-- showtime and seat; the customer's holds; the cart's rows. The planner's default price of a
-- random page read (random_page_cost 4) is a disk's seek, and with it, once a new cinema's
-- first showtimes were analyzed, the claim's generic plan read every seat of every showtime
-- (a seq scan of showtime_seats) to find the one asked for, and every seat of the showtime
-- for each row of the cart. Seats and claims are read all day and stay in memory: priced as
-- such, the plan probes the key whatever the tables' size (test/db/query-plans.test.ts).
ALTER FUNCTION claim_seats(uuid, uuid, text[], double precision, integer) SET random_page_cost = 1.1;
