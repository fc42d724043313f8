/**
 * Claiming work stays cheap however many requests history holds. The requests being executed are the
 * few with a lease: counting them (the per-source concurrency limit) reads this small index instead of
 * scanning the table. Due requests are taken in id order: the due index is in that order, so a claim
 * walks only unfinished requests, not every finished one before them.
 */
export const sql = `
CREATE INDEX account_requests_leased ON account_requests (source_id) WHERE lease_until IS NOT NULL;
DROP INDEX account_requests_due;
CREATE INDEX account_requests_due ON account_requests (source_id, id) WHERE status IN ('PENDING', 'RETRY');
`
