/**
 * Remediation outcomes move out of `certification_items` into a narrow table of their own. A sign-off's
 * remediation wrote its outcomes as an UPDATE of the wide item rows (reasons, peer shares: ~440 bytes
 * each, pages filled by generation's COPY), so each outcome rewrote a whole row onto a new page and into
 * both indexes: 0.36–0.81 s of a 2 s sign-off of 10,000 revocations at 100,000 identities. An outcome is
 * now an insert of a row of a few dozen bytes, and an item without one has not been remediated.
 */
export const sql = `
CREATE TABLE certification_outcomes (
  certification_item_id text PRIMARY KEY,
  -- After sign-off: PENDING (written, executing), DONE, FAILED, KEPT (something else still grants it),
  -- SCHEDULED (a proposed end date), NONE (kept by the reviewer).
  remediation text NOT NULL,
  remediation_detail text,
  -- The activities it wrote; null when none (read as []).
  activity_ids json,
  CHECK (remediation IN ('PENDING', 'DONE', 'FAILED', 'KEPT', 'SCHEDULED', 'NONE'))
);
INSERT INTO certification_outcomes (certification_item_id, remediation, remediation_detail, activity_ids)
  SELECT id, remediation, remediation_detail, activity_ids FROM certification_items WHERE remediation IS NOT NULL;
ALTER TABLE certification_items DROP COLUMN remediation, DROP COLUMN remediation_detail, DROP COLUMN activity_ids;
`
