/** Sources, accounts, entitlements, identities, and the record of aggregations and processing runs. */
export const sql = `
CREATE TABLE sources (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  last_aggregated_at timestamptz,
  created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE identities (
  id text PRIMARY KEY,
  name text NOT NULL,
  identity_profile text NOT NULL,
  attributes jsonb NOT NULL DEFAULT '{}',
  lifecycle_state text,
  manager_id text REFERENCES identities (id) ON DELETE SET NULL,
  -- Set when the identity's authoritative account disappeared from its source: the identity is
  -- kept (with its last attributes) for review, never silently deleted.
  authoritative_account_removed timestamptz,
  processing_state text NOT NULL DEFAULT 'OK',
  processing_error text,
  inputs_hash text,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identities_name ON identities (name);

CREATE TABLE accounts (
  id text PRIMARY KEY,
  source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  native_identity text NOT NULL,
  display_name text,
  identity_id text REFERENCES identities (id) ON DELETE SET NULL,
  authoritative boolean NOT NULL DEFAULT false,
  attributes jsonb NOT NULL DEFAULT '{}',
  hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  locked boolean NOT NULL DEFAULT false,
  manually_correlated boolean NOT NULL DEFAULT false,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_id, native_identity)
);
CREATE INDEX accounts_identity ON accounts (identity_id);

CREATE TABLE entitlements (
  id text PRIMARY KEY,
  source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  attribute text NOT NULL,
  value text NOT NULL,
  display_name text,
  requestable boolean NOT NULL DEFAULT true,
  created timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_id, attribute, value)
);

CREATE TABLE runs (
  id text PRIMARY KEY,
  kind text NOT NULL,
  source_id text,
  started timestamptz NOT NULL,
  finished timestamptz,
  status text NOT NULL,
  stats jsonb NOT NULL DEFAULT '{}',
  errors jsonb NOT NULL DEFAULT '[]'
);
`
