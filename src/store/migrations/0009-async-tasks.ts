/**
 * Asynchronous tasks with a status (the reference's task-status): a source aggregation asked for through
 * the queue is recorded here when it is asked for, and its progress, outcome, counts and messages as it runs.
 */
export const sql = `
CREATE TABLE async_tasks (
  id text PRIMARY KEY,
  -- SOURCE_AGGREGATION
  kind text NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  launcher text NOT NULL,
  -- What the task works on: a source's configuration id (when it has one) and name.
  target_id text,
  target_name text NOT NULL,
  created timestamptz NOT NULL,
  launched timestamptz,
  completed timestamptz,
  completion_status text,
  progress text,
  -- Processes that took the task up; more than one when an earlier one stopped mid-run.
  attempts integer NOT NULL DEFAULT 0,
  messages jsonb NOT NULL DEFAULT '[]',
  returns jsonb NOT NULL DEFAULT '{}',
  CHECK (kind IN ('SOURCE_AGGREGATION')),
  CHECK (completion_status IN ('SUCCESS', 'WARNING', 'ERROR', 'TERMINATED')),
  CHECK ((completed IS NULL) = (completion_status IS NULL))
);
-- Listings are newest first.
CREATE INDEX async_tasks_created ON async_tasks (created DESC, id DESC);
-- What has not completed yet (pending and running tasks).
CREATE INDEX async_tasks_open ON async_tasks (created) WHERE completed IS NULL;
`
