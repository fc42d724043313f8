/**
 * A certification's items are keyed by (certification_id, id), one index instead of two: every read and
 * change of items names their certification (a reviewer's page, a decision, a reassignment, a campaign's
 * items through its certifications), and generation writes a million rows at once for a large campaign,
 * each index a good part of that write. Item ids stay unique (made by newId, 128 bits); outcomes still
 * refer to items by id alone, from the item's side.
 */
export const sql = `
ALTER TABLE certification_items DROP CONSTRAINT certification_items_pkey;
DROP INDEX IF EXISTS certification_items_certification;
ALTER TABLE certification_items ADD PRIMARY KEY (certification_id, id);
`
