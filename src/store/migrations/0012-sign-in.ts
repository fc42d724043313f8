/**
 * People signing in: local passwords, one-time invitation links, browser sessions with their refresh
 * tokens, the state of OpenID Connect logins under way, and the sign-in attempts that failed logins are
 * limited by. Every secret (password, invitation token, session id, CSRF token, refresh token) is stored
 * only as a hash.
 */
export const sql = `
CREATE TABLE sign_in_passwords (
  identity_id text PRIMARY KEY,
  -- scrypt with the password's parameters and salt (secret-hash.ts); never the password.
  password_hash text NOT NULL,
  changed timestamptz NOT NULL,
  -- ADMIN (set by an administrator) or INVITATION (set by the person through an invitation link).
  changed_by text NOT NULL
);

CREATE TABLE sign_in_invitations (
  -- SHA-256 of the token: the token has 256 random bits, a slow hash would add nothing.
  token_hash text PRIMARY KEY,
  identity_id text NOT NULL,
  created timestamptz NOT NULL,
  created_by text NOT NULL,
  expires timestamptz NOT NULL,
  used timestamptz,
  -- Set when a newer invitation for the same identity replaces this one.
  voided timestamptz
);
CREATE INDEX sign_in_invitations_identity ON sign_in_invitations (identity_id);

CREATE TABLE sign_in_sessions (
  -- The public id (audit, client id session:<id>); the cookie holds another value, its secret.
  id text PRIMARY KEY,
  secret_hash text NOT NULL UNIQUE,
  csrf_hash text NOT NULL,
  identity_id text NOT NULL,
  method text NOT NULL,
  source_address text,
  created timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  idle_expires timestamptz NOT NULL,
  expires timestamptz NOT NULL,
  revoked timestamptz,
  CHECK (method IN ('PASSWORD', 'OIDC'))
);
CREATE INDEX sign_in_sessions_identity ON sign_in_sessions (identity_id) WHERE revoked IS NULL;

CREATE TABLE sign_in_refresh_tokens (
  token_hash text PRIMARY KEY,
  session_id text NOT NULL REFERENCES sign_in_sessions (id) ON DELETE CASCADE,
  created timestamptz NOT NULL,
  -- A refresh token is used once: its use hands out the next one. A second use ends the session.
  used timestamptz
);
CREATE INDEX sign_in_refresh_tokens_session ON sign_in_refresh_tokens (session_id);

CREATE TABLE sign_in_attempts (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  -- As typed (bounded in length): attempts on names that do not exist are limited alike.
  username text NOT NULL,
  source_address text NOT NULL,
  -- PENDING while the password is checked (counted as a failure, so parallel guesses cannot pass the
  -- limit), then FAILED or SUCCEEDED; LOCKED when refused unchecked (not counted).
  outcome text NOT NULL,
  CHECK (outcome IN ('PENDING', 'FAILED', 'SUCCEEDED', 'LOCKED'))
);
CREATE INDEX sign_in_attempts_username ON sign_in_attempts (username, at);
CREATE INDEX sign_in_attempts_address ON sign_in_attempts (source_address, at);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at);

CREATE TABLE sign_in_oidc_flows (
  -- SHA-256 of the value of the browser's flow cookie: the callback is accepted only in that browser.
  flow_hash text PRIMARY KEY,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  return_to text NOT NULL,
  expires timestamptz NOT NULL
);
`
