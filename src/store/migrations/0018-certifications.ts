/**
 * Certification campaigns. A campaign is generated into one certification per reviewer — a work item of
 * type `Certification` (the one work items table of DESIGN §10: owner, reassignment, reminders, events and
 * its sign-off as `completed`) — and into certification items: one per identity and access item, with why
 * it is held, whether it can be revoked here, how common it is among the identity's peers, the reviewer's
 * decision, and what remediation did with it.
 */
export const sql = `
CREATE TABLE campaigns (
  id text PRIMARY KEY,
  name text NOT NULL,
  description text,
  -- MANAGER, SOURCE_OWNER, SEARCH, ROLE_COMPOSITION
  type text NOT NULL,
  -- PENDING, STAGED, ACTIVE, COMPLETING, COMPLETED, ERROR
  status text NOT NULL,
  deadline timestamptz,
  -- The identity who owns it: reviews what nobody else may, gets escalations without a manager.
  owner_id text,
  -- The campaign as created (options, sourceOwnerCampaignInfo, searchCampaignInfo, roleCompositionCampaignInfo).
  spec json NOT NULL,
  template_id text,
  items_total integer NOT NULL DEFAULT 0,
  -- A past-due campaign completed with a default decision: APPROVE or REVOKE.
  auto_completed_with text,
  error text,
  created timestamptz NOT NULL,
  modified timestamptz NOT NULL,
  activated timestamptz,
  signed_off timestamptz,
  completed timestamptz,
  CHECK (type IN ('MANAGER', 'SOURCE_OWNER', 'SEARCH', 'ROLE_COMPOSITION')),
  CHECK (status IN ('PENDING', 'STAGED', 'ACTIVE', 'COMPLETING', 'COMPLETED', 'ERROR'))
);
CREATE INDEX campaigns_open ON campaigns (status) WHERE status IN ('ACTIVE', 'COMPLETING');

CREATE TABLE campaign_templates (
  id text PRIMARY KEY,
  name text NOT NULL,
  description text,
  owner_id text,
  -- ISO 8601 duration: a generated campaign's deadline is its generation time plus this (null: none).
  deadline_duration text,
  -- The campaign every generation creates (its name and description may hold date placeholders: %Y…).
  campaign json NOT NULL,
  -- The reference's Schedule ({type: WEEKLY|MONTHLY|ANNUALLY|CALENDAR, days, hours, months, …}) or null:
  -- generated on demand only.
  schedule json,
  -- When the schedule next generates a campaign: the timer claims it by moving it on, so once.
  next_run timestamptz,
  last_generated timestamptz,
  -- Why the last scheduled generation failed (null when it did not).
  last_error text,
  created timestamptz NOT NULL,
  modified timestamptz NOT NULL
);
CREATE INDEX campaign_templates_due ON campaign_templates (next_run) WHERE next_run IS NOT NULL;

-- A reviewer's certification is a work item of type Certification.
ALTER TABLE work_items ADD COLUMN campaign_id text;
CREATE INDEX work_items_campaign ON work_items (campaign_id, owner) WHERE campaign_id IS NOT NULL;

CREATE TABLE certification_items (
  id text PRIMARY KEY,
  campaign_id text NOT NULL,
  certification_id text NOT NULL,
  identity_id text NOT NULL,
  -- ROLE, ACCESS_PROFILE, ENTITLEMENT or ACCOUNT
  item_type text NOT NULL,
  -- The role's or access profile's configuration id, the entitlement's key, or the account's id.
  item_id text NOT NULL,
  item_name text NOT NULL,
  source_id text,
  attribute text,
  value text,
  native_identity text,
  -- Why it is held: the planner's reasons (criteria and values, lifecycle state, assignment and request);
  -- empty for unmanaged access.
  reasons json NOT NULL,
  -- Whether a REVOKE can remove it; when not, why (acknowledge only).
  revocable boolean NOT NULL,
  acknowledge_only text,
  -- The assignments a REVOKE ends.
  assignment_ids json NOT NULL DEFAULT '[]',
  -- The share of the identity's peers (same department, manager, title) holding it: {department: 0.9, …}.
  peers json NOT NULL DEFAULT '{}',
  -- APPROVE or REVOKE, until sign-off changeable.
  decision text,
  proposed_end_date timestamptz,
  comments text,
  decided_by text,
  decided timestamptz,
  -- After sign-off: PENDING (written, executing), DONE, FAILED, KEPT (something else still grants it),
  -- SCHEDULED (a proposed end date), NONE (kept by the reviewer).
  remediation text,
  remediation_detail text,
  activity_ids json NOT NULL DEFAULT '[]',
  CHECK (item_type IN ('ROLE', 'ACCESS_PROFILE', 'ENTITLEMENT', 'ACCOUNT')),
  CHECK (decision IS NULL OR decision IN ('APPROVE', 'REVOKE'))
);
CREATE INDEX certification_items_certification ON certification_items (certification_id, id);
CREATE INDEX certification_items_campaign ON certification_items (campaign_id, remediation);
-- A reviewer is shown who asked for requested access and who approved it.
CREATE INDEX access_requests_assignment ON access_requests (assignment_id) WHERE assignment_id IS NOT NULL;
`
