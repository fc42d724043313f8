/**
 * Access requests. One row per requested item per identity it is requested for — the reference's
 * "requested item status" — sharing the access request's id with the other items of the same request.
 * Each approval step is a work item of type `Approval` (the one work items table of DESIGN §10), and every
 * change of a work item is an event (who, when, what, comment): forwards, decisions, reminders, escalations.
 */
export const sql = `
CREATE TABLE access_requests (
  id text PRIMARY KEY,
  -- The access request this item belongs to (what POST /v3/access-requests answered).
  request_id text NOT NULL,
  -- GRANT_ACCESS or REVOKE_ACCESS
  request_type text NOT NULL,
  -- The identity that asked; null when an API client without an identity asked (requester_client).
  requester_id text,
  requester_client text,
  identity_id text NOT NULL,
  -- ROLE, ACCESS_PROFILE or ENTITLEMENT, with the configuration id or the stored entitlement's id.
  item_type text NOT NULL,
  item_id text NOT NULL,
  item_name text NOT NULL,
  -- The source the item provisions on (an access profile's or entitlement's); null for a role.
  source_id text,
  comment text,
  start_date timestamptz,
  remove_date timestamptz,
  client_metadata json,
  -- The account chosen at request time when the identity has several on the item's source.
  native_identity text,
  -- APPROVAL (approvals under way), APPROVED, REJECTED, CANCELLED, TERMINATED (closed by an administrator)
  phase text NOT NULL,
  -- The approval chain, resolved when the request was made: [{approverType, approverId, owners, label}].
  schemes json NOT NULL,
  -- The step of the chain under way (0-based).
  step integer NOT NULL DEFAULT 0,
  -- The assignment an approved grant made (or a revoke removed).
  assignment_id text,
  -- The account activities the approval's provisioning wrote (later ones name the assignment in their reasons).
  activity_ids json NOT NULL DEFAULT '[]',
  -- Why provisioning could not be started (the plan could not be written); the identity stays queued.
  provisioning_error text,
  -- When the approval phase ended (approved, rejected, cancelled); when an administrator closed it.
  decided timestamptz,
  closed timestamptz,
  -- An administrator's close: {executionStatus, completionStatus, message}.
  close_detail json,
  created timestamptz NOT NULL DEFAULT now(),
  modified timestamptz NOT NULL DEFAULT now(),
  CHECK (request_type IN ('GRANT_ACCESS', 'REVOKE_ACCESS')),
  CHECK (item_type IN ('ROLE', 'ACCESS_PROFILE', 'ENTITLEMENT')),
  CHECK (phase IN ('APPROVAL', 'APPROVED', 'REJECTED', 'CANCELLED', 'TERMINATED'))
);
CREATE INDEX access_requests_request ON access_requests (request_id);
CREATE INDEX access_requests_identity ON access_requests (identity_id);
CREATE INDEX access_requests_requester ON access_requests (requester_id);
-- Duplicates: a pending request for the same item for the same identity.
CREATE INDEX access_requests_open ON access_requests (identity_id, item_type, item_id) WHERE phase = 'APPROVAL';

-- Approval work items: no source or account activity; the access request item and the approval's state.
ALTER TABLE work_items ALTER COLUMN source_id DROP NOT NULL;
ALTER TABLE work_items ALTER COLUMN activity_id DROP NOT NULL;
ALTER TABLE work_items ADD COLUMN request_item_id text;
-- The step of the request's chain this approval is, its scheme, and (a governance group) the group whose
-- members may each decide.
ALTER TABLE work_items ADD COLUMN step integer;
ALTER TABLE work_items ADD COLUMN scheme text;
ALTER TABLE work_items ADD COLUMN owner_group text;
ALTER TABLE work_items ADD COLUMN original_owner text;
ALTER TABLE work_items ADD COLUMN decided_by text;
ALTER TABLE work_items ADD COLUMN reminders integer NOT NULL DEFAULT 0;
ALTER TABLE work_items ADD COLUMN last_reminded timestamptz;
ALTER TABLE work_items ADD COLUMN escalated timestamptz;
ALTER TABLE work_items ADD COLUMN modified timestamptz;
CREATE INDEX work_items_request_item ON work_items (request_item_id) WHERE request_item_id IS NOT NULL;
CREATE INDEX work_items_group ON work_items (owner_group) WHERE state = 'Pending' AND owner_group IS NOT NULL;

-- The account an identity with several on the item's source chose at request time.
ALTER TABLE assignments ADD COLUMN native_identity text;

CREATE TABLE work_item_events (
  id text PRIMARY KEY,
  work_item_id text NOT NULL,
  at timestamptz NOT NULL,
  -- The identity (or client) that acted; null for the engine (a reminder, an escalation).
  actor text,
  -- CREATED, FORWARDED, APPROVED, REJECTED, REMINDED, ESCALATED, CANCELLED, AUTO_APPROVED
  action text NOT NULL,
  from_owner text,
  to_owner text,
  comment text
);
CREATE INDEX work_item_events_item ON work_item_events (work_item_id, at);
`
