import { UNREMEDIATED_ITEMS } from './certification-items.js'
import type { Db } from './db.js'
import { iso } from './iso-time.js'

/** A signed-off certification whose remediation has not been written yet. */
export interface QueuedCertification {
  readonly id: string
  readonly campaignId: string
  readonly signed: string
}

/** The certifications queued for remediation (signed, `remediated` null), oldest sign-off first. */
export async function queuedCertifications(
  db: Db,
  campaignIds?: readonly string[],
): Promise<QueuedCertification[]> {
  const rows = await db.query<{ id: string; campaign_id: string; completed: string | Date }>(
    `SELECT id, campaign_id, completed FROM work_items
     WHERE type = 'Certification' AND completed IS NOT NULL AND remediated IS NULL
       AND ($1::text[] IS NULL OR campaign_id = ANY($1::text[]))
     ORDER BY completed, id`,
    [campaignIds ?? null],
  )
  return rows.map((r) => ({ id: r.id, campaignId: r.campaign_id, signed: iso(r.completed) }))
}

/**
 * Locks those of `ids` still queued, in id order (two runs lock in the same order, so neither waits for
 * the other in a cycle), for the rest of the transaction. A run that waited for another finds what that
 * one remediated no longer queued, and leaves it.
 */
export async function claimQueuedCertifications(tx: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM work_items WHERE id = ANY($1::text[]) AND completed IS NOT NULL AND remediated IS NULL
     ORDER BY id FOR UPDATE`,
    [ids],
  )
  return rows.map((r) => r.id)
}

/**
 * Takes certifications off the queue. With `whenDone`, only those none of whose decided items still waits
 * for a remediation (a role composition's, written outside one transaction).
 */
export async function markCertificationsRemediated(
  db: Db,
  ids: readonly string[],
  now: Date,
  options: { whenDone?: boolean } = {},
): Promise<void> {
  if (ids.length === 0) return
  await db.query(
    `UPDATE work_items w SET remediated = $2 WHERE w.id = ANY($1::text[]) AND w.remediated IS NULL
       ${
         options.whenDone === true
           ? `AND NOT EXISTS (SELECT 1 FROM ${UNREMEDIATED_ITEMS} AND i.certification_id = w.id)`
           : ''
       }`,
    [ids, now.toISOString()],
  )
}
