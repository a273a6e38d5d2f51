-- Payment attempts: a declined card leaves its payment failed, and the customer tries again
-- for the same checkout with a new payment (a new provider session). At most one attempt per
-- checkout is live (pending, succeeded or refunded), so a checkout is still paid at most once.
ALTER TABLE payments DROP CONSTRAINT payments_checkout_id_key;
CREATE UNIQUE INDEX payments_one_live_attempt ON payments (checkout_id) WHERE status <> 'failed';
CREATE INDEX payments_checkout ON payments (checkout_id, created_at DESC);
