import { analyzeIfGrown, type Db } from '../../store/db.js'

/** Rows a call added to the tables of access requests (or changed, where a filtered column changed). */
export interface RequestRowsAdded {
  readonly items?: number
  readonly approvals?: number
  readonly events?: number
  readonly assignments?: number
}

/**
 * Keeps the planner's statistics of the request tables current as calls add a few hundred rows at a time
 * (see analyzeIfGrown): the embedded database has no autovacuum, and with the statistics of an empty table
 * an approver's page of pending approvals sorts all of theirs and a status page scans every approval.
 * Outside a transaction: the rows added are counted per database.
 */
export async function analyzeRequestTables(db: Db, added: RequestRowsAdded): Promise<void> {
  await analyzeIfGrown(db, 'accessRequests', added.items ?? 0)
  await analyzeIfGrown(db, 'workItems', added.approvals ?? 0)
  await analyzeIfGrown(db, 'workItemEvents', added.events ?? 0)
  await analyzeIfGrown(db, 'assignments', added.assignments ?? 0)
}
