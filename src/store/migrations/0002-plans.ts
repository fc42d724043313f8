/**
 * What applying a plan records: the account requests waiting for execution, and per identity the
 * access it was granted and the lifecycle state it was in (the next plan compares against them).
 */
export const sql = `
CREATE TABLE identity_grants (
  identity_id text PRIMARY KEY,
  lifecycle_state text,
  grants json NOT NULL DEFAULT '[]',
  applied timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account_requests (
  id text PRIMARY KEY,
  identity_id text NOT NULL,
  source_id text NOT NULL,
  native_identity text,
  operation text NOT NULL,
  -- [{operation: Add|Remove|Set, attribute, value, secret}]
  items json NOT NULL DEFAULT '[]',
  reasons json NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'PENDING',
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_requests_identity ON account_requests (identity_id);
CREATE INDEX account_requests_pending ON account_requests (source_id) WHERE status = 'PENDING';
`
