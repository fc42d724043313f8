/**
 * Incremental refresh. Aggregation and processing queue the identities whose inputs changed, so an
 * incremental refresh touches those instead of scanning 100,000 identities; `engine_state` remembers
 * the configuration each queue was last drained against (a changed configuration means everyone).
 */
export const sql = `
CREATE TABLE process_queue (identity_id text PRIMARY KEY);
CREATE TABLE plan_queue (identity_id text PRIMARY KEY);
CREATE TABLE engine_state (key text PRIMARY KEY, value text NOT NULL);
-- Planning checks generated account ids against creates still pending.
CREATE INDEX account_requests_target ON account_requests (source_id, native_identity);
`
