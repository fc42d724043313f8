/**
 * The executor claims a source's due activities in id order. With a table of many finished activities
 * (and other sources' before them), the planner would rather walk the primary key in id order and filter
 * than read the due index, and each claim then passes every finished row. The due index orders its ids
 * by the "C" collation, which the claim names: only this index gives that order, so it is read in order
 * from the source's first due activity. Ids are hexadecimal, so the order is the same as before.
 *
 * Access request statuses, and an approver's pending approvals, are listed newest first (`created DESC,
 * id`): indexes in that order page through them without sorting all of them for each page.
 */
export const sql = `
DROP INDEX account_requests_due;
CREATE INDEX account_requests_due ON account_requests (source_id, id COLLATE "C") WHERE status IN ('PENDING', 'RETRY');
CREATE INDEX access_requests_newest ON access_requests (created DESC, id);
CREATE INDEX work_items_pending_approvals ON work_items (owner, created DESC, id)
  WHERE type = 'Approval' AND state = 'Pending';
`
