/**
 * `announced`: the final state (REQUEST_COMPLETED, PROVISIONING_FAILED, NOT_ALL_ITEMS_PROVISIONED) of an
 * approved item once its requester and recipient were told of it, so each is told once. Items approved
 * before this migration were never announced and will not be now: they are marked as such.
 */
export const sql = `
ALTER TABLE access_requests ADD COLUMN announced text;
UPDATE access_requests SET announced = 'BEFORE_NOTIFICATIONS' WHERE phase = 'APPROVED';
CREATE INDEX access_requests_unannounced ON access_requests (created) WHERE phase = 'APPROVED' AND announced IS NULL;
`
