-- One open checkout per customer and showtime: checking out the same holds again returns the
-- open one (so the same seats cannot be paid twice), and checking out changed holds replaces
-- it. A replaced checkout is `superseded`: paid after all, it is rejected and refunded with
-- that reason.
ALTER TABLE checkouts DROP CONSTRAINT checkouts_status_check;
ALTER TABLE checkouts ADD CONSTRAINT checkouts_status_check CHECK (status IN ('open', 'booked', 'rejected', 'superseded'));
-- checkouts opened twice before this rule: the latest stays open
UPDATE checkouts c SET status = 'superseded'
 WHERE status = 'open'
   AND EXISTS (SELECT 1 FROM checkouts n WHERE n.user_id = c.user_id AND n.showtime_id = c.showtime_id AND n.status = 'open'
                 AND (n.created_at, n.id) > (c.created_at, c.id));
CREATE UNIQUE INDEX checkouts_one_open ON checkouts (user_id, showtime_id) WHERE status = 'open';
