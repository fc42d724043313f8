/**
 * A manual task may cover several account activities: a certification's revocations on one flat-file
 * source become one task for its owner. Each activity is in at most one task (the primary key keeps a
 * task from being made twice for the same activity when two executors race). Existing manual tasks are
 * linked to their activity; `work_items.activity_id` stays set for a task of one request (anything but a
 * certification's revocations), as the API has always shown it.
 */
export const sql = `
CREATE TABLE work_item_activities (
  activity_id text PRIMARY KEY,
  work_item_id text NOT NULL,
  -- The order the task lists its requests in.
  position integer NOT NULL DEFAULT 0
);
CREATE INDEX work_item_activities_item ON work_item_activities (work_item_id);
INSERT INTO work_item_activities (activity_id, work_item_id)
  SELECT activity_id, id FROM work_items WHERE type = 'ManualAction' AND activity_id IS NOT NULL;
`
