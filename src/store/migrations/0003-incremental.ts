/**
 * Incremental refresh. Aggregation and processing queue the identities whose inputs changed, so an
 * incremental refresh touches those instead of scanning 100,000 identities; `engine_state` remembers
 * the configuration each queue was last drained against (a changed configuration means everyone).
 * Applied grants are shared between identities (grant_sets).
 */
export const sql = `
CREATE TABLE process_queue (identity_id text PRIMARY KEY);
CREATE TABLE plan_queue (identity_id text PRIMARY KEY);
CREATE TABLE engine_state (key text PRIMARY KEY, value text NOT NULL);
-- Requests change status in bulk and the embedded database has no autovacuum: a partial index on the
-- status fills with dead entries the planner then walks. Requests are found by identity or account.
DROP INDEX account_requests_pending;
-- Planning checks generated account ids against creates still pending.
-- Identities that meet the same roles in the same lifecycle state are granted the same access: each
-- distinct set of grants is stored once and identities point at it (a few hundred sets, not 100,000 copies).
CREATE TABLE grant_sets (id text PRIMARY KEY, grants json NOT NULL);
ALTER TABLE identity_grants ADD COLUMN grant_set text;
-- Manager correlation of a few queued identities looks up keys instead of reading every identity's JSON:
-- the key an identity's authoritative account names its manager by, and its own value managers are found by.
ALTER TABLE identities ADD COLUMN manager_key text, ADD COLUMN match_key text;
CREATE INDEX identities_manager_key ON identities (manager_key) WHERE manager_key IS NOT NULL;
CREATE INDEX identities_match_key ON identities (match_key) WHERE match_key IS NOT NULL;
CREATE INDEX account_requests_target ON account_requests (source_id, native_identity);
`
