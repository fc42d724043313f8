/**
 * Sources, accounts, entitlements, identities, and the record of aggregations and processing runs.
 * Attributes are `json`, not `jsonb`: they are written in bulk (100,000 rows per aggregation) and read
 * whole by the engine, and jsonb's conversion made those writes 40% slower on the embedded database.
 */
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
  attributes json NOT NULL DEFAULT '{}',
  lifecycle_state text,
  -- No foreign key: a whole identity profile is written in bulk (COPY), managers and reports in any
  -- order; identities are never deleted in this version, and processing re-checks managers every run.
  manager_id text,
  -- Set when the identity's authoritative account disappeared from its source: the identity is
  -- kept (with its last attributes) for review, never silently deleted.
  authoritative_account_removed timestamptz,
  processing_state text NOT NULL DEFAULT 'OK',
  processing_error text,
  -- Hashes of what processing read (accounts, mappings) and of what it wrote: an identity whose
  -- inputs did not change is skipped, and one whose result did not change is not rewritten.
  inputs_hash text,
  state_hash text,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identities_name ON identities (name);

-- accounts.source_id and entitlements.source_id carry no foreign key: the check runs once per row,
-- and on the embedded database it doubled the cost of a 100,000-account aggregation. Sources are
-- created before their accounts and never deleted while they have any.
CREATE TABLE accounts (
  id text PRIMARY KEY,
  source_id text NOT NULL,
  native_identity text NOT NULL,
  display_name text,
  -- The identity this account belongs to. An authoritative account gets its identity id when it is
  -- aggregated, before identity processing creates that identity: so no foreign key here.
  identity_id text,
  authoritative boolean NOT NULL DEFAULT false,
  attributes json NOT NULL DEFAULT '{}',
  hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  locked boolean NOT NULL DEFAULT false,
  manually_correlated boolean NOT NULL DEFAULT false,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_id, native_identity)
);
CREATE INDEX accounts_identity ON accounts (identity_id);
-- Aggregation looks for a source's uncorrelated accounts after every run; usually there are few.
CREATE INDEX accounts_uncorrelated ON accounts (source_id) WHERE identity_id IS NULL;

CREATE TABLE entitlements (
  id text PRIMARY KEY,
  source_id text NOT NULL,
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
