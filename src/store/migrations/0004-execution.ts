/**
 * Execution. Each account request is an account activity: the process type that caused it, its
 * provisioning status, its attempts and the time of the next one, the lease of the worker executing
 * it, the errors met. Retries are data (status RETRY and next_attempt_at), not sleeping processes, so
 * a restart or another worker picks them up. Flat-file sources get manual work items instead.
 */
export const sql = `
ALTER TABLE account_requests
  ADD COLUMN type text NOT NULL DEFAULT 'IDENTITY_REFRESH',
  ADD COLUMN attempts integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at timestamptz,
  -- Set while a worker executes the request: a lease that has run out means the worker died, and the
  -- request is in doubt (it may have reached the system): it is read back before it is repeated.
  ADD COLUMN lease_until timestamptz,
  ADD COLUMN errors json NOT NULL DEFAULT '[]',
  ADD COLUMN completed timestamptz;
-- What executors look for: a source's requests that are due. Vacuumed after large runs (no autovacuum).
CREATE INDEX account_requests_due ON account_requests (source_id, next_attempt_at)
  WHERE status IN ('PENDING', 'RETRY');

CREATE TABLE work_items (
  id text PRIMARY KEY,
  type text NOT NULL DEFAULT 'ManualAction',
  -- Pending, Finished, Rejected
  state text NOT NULL DEFAULT 'Pending',
  owner text,
  source_id text NOT NULL,
  activity_id text NOT NULL UNIQUE,
  description text NOT NULL,
  -- [{operation, attribute, value, secret}]: exactly what to do; secret values are in secrets only
  remediation_items json NOT NULL DEFAULT '[]',
  -- {attribute: value} of secret fields (a generated password): shown to the owner in the task's detail only
  secrets json,
  comment text,
  created timestamptz NOT NULL DEFAULT now(),
  completed timestamptz
);
CREATE INDEX work_items_pending ON work_items (owner) WHERE state = 'Pending';
`
