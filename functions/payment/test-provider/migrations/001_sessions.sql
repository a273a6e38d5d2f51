-- The built-in test provider's own records. It plays the card network, a system outside
-- ours, so its tables live in a schema of their own (test_provider, the search path these
-- migrations run with), apart from payment's; payment knows a session only by its id.
CREATE TABLE sessions (
  id          text PRIMARY KEY,
  amount      integer NOT NULL,
  currency    text NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'declined', 'refunded')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Sessions opened before the provider had a schema of its own sit in payment's
-- public.test_provider_sessions (payment's 002, which stays as it was applied): they are
-- copied here once, so that a pending payment can still be paid and a paid one refunded.
DO $$
BEGIN
  IF to_regclass('public.test_provider_sessions') IS NOT NULL THEN
    INSERT INTO sessions (id, amount, currency, status, created_at)
      SELECT id, amount, currency, status, created_at FROM public.test_provider_sessions;
  END IF;
END $$;
