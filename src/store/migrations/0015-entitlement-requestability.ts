/**
 * Entitlements that can be requested, and their owners. `requestable` existed since the first schema, true
 * by default, but nothing could set it; the reference's default is false (an entitlement is requestable only
 * once someone says so), so every entitlement starts again from false. `owner_id` is the identity who owns
 * the entitlement (an approver of requests for it); `modified` is when either was last changed. Aggregation
 * never writes these columns, so they are kept across re-aggregation.
 */
export const sql = `
ALTER TABLE entitlements ALTER COLUMN requestable SET DEFAULT false;
UPDATE entitlements SET requestable = false;
ALTER TABLE entitlements ADD COLUMN owner_id text;
ALTER TABLE entitlements ADD COLUMN modified timestamptz;
CREATE INDEX entitlements_requestable ON entitlements (source_id) WHERE requestable;
`
