-- Accounts opened through an identity provider have no password of ours.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

-- What the account's list of its sessions shows: the browser or app, and how it signed in
-- ('password', or 'oidc:<provider>').
ALTER TABLE sessions
  ADD COLUMN user_agent text,
  ADD COLUMN signed_in_with text NOT NULL DEFAULT 'password';

-- OWASP's device cookies: a device that has signed in before holds a token (only its hash is
-- kept here) that lets it past a lock other devices' failures put on the account; its own
-- failures lock it alone (login_throttle key 'device:<id>').
CREATE TABLE trusted_devices (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX trusted_devices_user ON trusted_devices (user_id, last_used_at DESC);

-- Requests counted per key in a fixed window: reset mails per address and per client.
CREATE TABLE request_counts (
  key           text PRIMARY KEY,
  count         integer NOT NULL,
  window_start  timestamptz NOT NULL DEFAULT now()
);

-- A new reset token voids the account's older ones: found by account.
CREATE INDEX password_resets_user ON password_resets (user_id);
