/**
 * Assignments: access a person was given (an administrator by hand, later an approved access request or
 * a certification's decision), which the planner merges with the access policy computes. Access that
 * policy computes is never stored here.
 */
export const sql = `
CREATE TABLE assignments (
  id text PRIMARY KEY,
  identity_id text NOT NULL,
  -- ROLE, ACCESS_PROFILE or ENTITLEMENT
  item_type text NOT NULL,
  -- A role's or access profile's configuration id; an entitlement's id in entitlements. No foreign key:
  -- configuration is not in the store, and an item that disappears is reported by the planner.
  item_id text NOT NULL,
  -- The item's name when it was assigned, shown once the item is gone.
  item_name text NOT NULL,
  -- ADMIN, ACCESS_REQUEST, CERTIFICATION
  origin text NOT NULL,
  start_date timestamptz,
  remove_date timestamptz,
  -- What it came from: the access request or the certification campaign.
  request_id text,
  campaign_id text,
  created_by text,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CHECK (item_type IN ('ROLE', 'ACCESS_PROFILE', 'ENTITLEMENT')),
  CHECK (origin IN ('ADMIN', 'ACCESS_REQUEST', 'CERTIFICATION')),
  CHECK (start_date IS NULL OR remove_date IS NULL OR start_date < remove_date)
);
-- The planner reads a batch of identities' assignments at a time.
CREATE INDEX assignments_identity ON assignments (identity_id);
-- One manual assignment per identity and item: assigning it again changes its dates.
CREATE UNIQUE INDEX assignments_admin_item ON assignments (identity_id, item_type, item_id) WHERE origin = 'ADMIN';
-- A refresh looks for assignments whose start or remove date has come since the last one.
CREATE INDEX assignments_start ON assignments (start_date) WHERE start_date IS NOT NULL;
CREATE INDEX assignments_remove ON assignments (remove_date) WHERE remove_date IS NOT NULL;
`
