-- Sign-in with OpenID Connect providers. An identity is the provider's (issuer, subject)
-- pair, linked to one account: found by it on later sign-ins, whatever email it shows then.
CREATE TABLE identities (
  issuer     text NOT NULL,
  subject    text NOT NULL,
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  provider   text NOT NULL,
  linked_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX identities_user ON identities (user_id);

-- A sign-in under way: what the callback checks (state, nonce) and sends (the PKCE verifier).
-- The state and the nonce are kept as hashes; each row is used once.
CREATE TABLE oidc_sign_ins (
  state_hash     text PRIMARY KEY,
  provider       text NOT NULL,
  nonce_hash     text NOT NULL,
  code_verifier  text NOT NULL,
  return_to      text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  finished_at    timestamptz
);

-- The one-time code the callback hands the app (in its URL's fragment), exchanged once, soon,
-- for a session: our session token never travels in a URL.
CREATE TABLE oidc_handoffs (
  code_hash   text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  provider    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
