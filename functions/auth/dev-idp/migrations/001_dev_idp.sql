-- The built-in development identity provider's own records. It plays Google or Keycloak on
-- local stages, a system outside ours, so its tables live in a schema of their own (dev_idp,
-- the search path these migrations run with), apart from auth's; auth knows its users only
-- through the ID tokens it signs.
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;

-- Its signing keys (RS256); the newest signs, all are published in its JWKS.
CREATE TABLE signing_keys (
  kid          text PRIMARY KEY,
  private_jwk  jsonb NOT NULL,
  public_jwk   jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Whoever signed in at its page: the subject stays the same for an email address.
CREATE TABLE users (
  subject         text PRIMARY KEY,
  email           public.citext NOT NULL UNIQUE,
  name            text NOT NULL,
  email_verified  boolean NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Authorization codes, kept hashed, redeemed once at its token endpoint.
CREATE TABLE authorization_codes (
  code_hash       text PRIMARY KEY,
  client_id       text NOT NULL,
  redirect_uri    text NOT NULL,
  subject         text NOT NULL REFERENCES users(subject),
  scope           text NOT NULL,
  nonce           text,
  code_challenge  text NOT NULL,
  auth_time       timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz
);
