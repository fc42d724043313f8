/**
 * The notification outbox: one row per message per recipient, written in the transaction of the change
 * that caused it, so a message is never lost nor sent for a change that rolled back. Rows are rendered
 * when queued (subject and body as the recipient will read them); delivery only sends them.
 */
export const sql = `
CREATE TABLE notifications (
  id text PRIMARY KEY,
  kind text NOT NULL,
  -- The identity it is for; null for an address that is no identity's. The address as it was when queued
  -- (null: the identity has none, and the row says so in last_error).
  recipient_identity_id text,
  recipient_email text,
  subject text NOT NULL,
  body text NOT NULL,
  html text,
  -- OUTBOX: no SMTP server configured, kept to be read; PENDING: to send (again) at next_attempt_at;
  -- SENT; FAILED: every attempt failed, or it cannot be sent (no address), last_error says why.
  state text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz,
  -- A sender's claim: another sender leaves the row alone until then (a sender that died frees it).
  lease_until timestamptz,
  -- What it is about, e.g. {"accessRequestId": "…", "approvalId": "…"} or {"campaignId": "…"}.
  regarding jsonb NOT NULL DEFAULT '{}',
  created timestamptz NOT NULL,
  sent timestamptz,
  CHECK (state IN ('OUTBOX', 'PENDING', 'SENT', 'FAILED'))
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX notifications_recipient ON notifications (recipient_identity_id, created);
CREATE INDEX notifications_created ON notifications (created);
`
