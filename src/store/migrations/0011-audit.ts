/**
 * The audit log, and the end date of personal access tokens. The audit log: every write through the API, every sign-in and every token issued — who (client id and
 * identity), what (action, route, object), when, from which address, the outcome, and the object's state
 * before and after where the route knows it. Never a secret: routes record objects, not request bodies.
 */
export const sql = `
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  action text NOT NULL,
  -- The client id and the identity the caller acted as; null for an anonymous caller (a failed sign-in).
  client_id text,
  identity_id text,
  source_address text,
  method text,
  route text,
  status integer,
  target_type text,
  target_id text,
  target_name text,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_identity ON audit_events (identity_id, at);

-- A personal access token expires, as the reference's do (six months after creation unless said);
-- null: never (API clients, and tokens made before this version).
ALTER TABLE api_credentials ADD COLUMN expires timestamptz;
`
