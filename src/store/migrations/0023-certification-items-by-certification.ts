/**
 * A campaign's items are found through its certifications (certification_items_certification) instead of
 * an index of their own: generation writes a million rows at once for a large campaign, and each index
 * the rows go into is a good part of that write (about a fifth of the COPY for this one). The index also
 * held `remediation`, which kept the sign-off's update of it from being made in place.
 */
export const sql = `
DROP INDEX IF EXISTS certification_items_campaign;
`
