/**
 * Certification tasks: what the reference answers for an administrator's reassignment of a campaign's
 * certifications and for a reviewer's asynchronous reassignment — a record of what was asked, what moved
 * from whom to whom, and what failed, readable by id afterwards.
 */
export const sql = `
CREATE TABLE certification_tasks (
  id text PRIMARY KEY,
  -- REASSIGN (a reviewer's) or ADMIN_REASSIGN (an administrator's, of a campaign's certifications)
  type text NOT NULL,
  -- CERTIFICATION or CAMPAIGN
  target_type text NOT NULL,
  target_id text NOT NULL,
  -- Who asked: an identity id, or an API client's id.
  launcher text NOT NULL,
  -- SUCCESS or ERROR (Provisio reassigns at once; QUEUED and IN_PROGRESS are never stored)
  status text NOT NULL,
  errors json NOT NULL DEFAULT '[]',
  -- [{previousOwner, newOwner, reassignmentType}]
  reassignments json NOT NULL DEFAULT '[]',
  created timestamptz NOT NULL,
  CHECK (type IN ('REASSIGN', 'ADMIN_REASSIGN')),
  CHECK (target_type IN ('CERTIFICATION', 'CAMPAIGN')),
  CHECK (status IN ('QUEUED', 'IN_PROGRESS', 'SUCCESS', 'ERROR'))
);
CREATE INDEX certification_tasks_target ON certification_tasks (target_id, created);
`
