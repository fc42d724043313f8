/**
 * Authentication of the v3 API: the keys that sign access tokens (rotated: retired keys still verify the
 * tokens they signed until those expire) and the credentials exchanged for tokens (personal access tokens
 * of an identity, API clients), their secrets kept only as slow hashes.
 */
export const sql = `
CREATE TABLE auth_signing_keys (
  kid text PRIMARY KEY,
  -- ES256
  algorithm text NOT NULL,
  public_jwk jsonb NOT NULL,
  -- The private JWK sealed with the workspace's secrets key (sealed-secrets.ts); erased when the key
  -- retires: a retired key signs nothing more.
  private_jwk_sealed jsonb,
  created timestamptz NOT NULL,
  retired_at timestamptz,
  CHECK (retired_at IS NOT NULL OR private_jwk_sealed IS NOT NULL)
);
-- One key signs at a time: the one not retired.
CREATE UNIQUE INDEX auth_signing_keys_current ON auth_signing_keys ((true)) WHERE retired_at IS NULL;

CREATE TABLE api_credentials (
  client_id text PRIMARY KEY,
  -- scrypt, its parameters and salt with it; never the secret itself.
  secret_hash text NOT NULL,
  kind text NOT NULL,
  name text NOT NULL,
  -- The identity a personal access token acts as; null for an API client. No foreign key: identities
  -- are written in bulk (COPY) and never deleted in this version.
  owner_identity_id text,
  scopes text[] NOT NULL,
  capabilities text[] NOT NULL,
  created timestamptz NOT NULL,
  last_used timestamptz,
  revoked timestamptz,
  CHECK (kind IN ('PERSONAL_ACCESS_TOKEN', 'API_CLIENT')),
  CHECK ((kind = 'PERSONAL_ACCESS_TOKEN') = (owner_identity_id IS NOT NULL))
);
-- A personal access token's name is unique among its owner's tokens in use.
CREATE UNIQUE INDEX api_credentials_pat_name ON api_credentials (owner_identity_id, name)
  WHERE kind = 'PERSONAL_ACCESS_TOKEN' AND revoked IS NULL;
CREATE INDEX api_credentials_created ON api_credentials (created, client_id);
`
