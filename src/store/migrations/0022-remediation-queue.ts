/**
 * Sign-off queues a certification for remediation: `remediated` stays null until its items' outcomes are
 * written, in the same transaction as they are. A signed certification with `remediated` null is in the
 * queue the remediation job drains (all queued certifications of a campaign in one planner pass); the
 * partial index keeps finding them cheap however many certifications a campaign has. Certifications
 * signed before this migration count as remediated once none of their decided items waits for one.
 */
export const sql = `
ALTER TABLE work_items ADD COLUMN remediated timestamptz;
UPDATE work_items w SET remediated = w.completed
  WHERE w.type = 'Certification' AND w.completed IS NOT NULL
    AND NOT EXISTS (
      SELECT 1 FROM certification_items i
      WHERE i.certification_id = w.id AND i.decision IS NOT NULL
        AND (i.remediation IS NULL OR (i.remediation = 'PENDING' AND i.activity_ids::text = '[]')));
CREATE INDEX work_items_remediation_queue ON work_items (campaign_id, id)
  WHERE type = 'Certification' AND completed IS NOT NULL AND remediated IS NULL;
`
