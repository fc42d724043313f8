import { coerceError } from '../../domain/errors.js'
import { vacuumIfChurned } from '../../store/db.js'
import { sourcesWithDueActivities } from '../../store/activity-claims.js'
import { listSourceRows } from '../../store/sources.js'
import type { EngineContext } from '../engine-context.js'
import { executeSource, type SourceCounts } from './execute-source.js'

export interface ExecuteOptions {
  /** Only these sources (by name); default: every source with activities due. */
  readonly sources?: readonly string[]
  /** How long a claim is held before another worker may take the activity over (default 60 s). */
  readonly leaseSeconds?: number
}

export interface ExecuteResult {
  /** Attempts made (a retried activity counts each attempt). */
  readonly attempts: number
  readonly finished: number
  readonly failed: number
  readonly retrying: number
  /** Activities handed to a person as manual work items. */
  readonly manual: number
  /** Sources that could not be worked on (their connector could not be built), with why. */
  readonly sourceErrors: readonly { readonly source: string; readonly message: string }[]
}

/**
 * The executor: works through every due account activity until none is left, source by source (in
 * parallel), each source at most `concurrency` at a time across every worker. Direct sources call their
 * connector; flat-file sources get a manual work item for their owner. Every attempt's outcome is data:
 * FINISHED, RETRY at the time the process type's retry policy says, or FAILED with the system's message.
 */
export async function executeDue(ctx: EngineContext, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const rows = await listSourceRows(ctx.db)
  const configured = new Map(ctx.config.sources.map(({ value: s }) => [s.name, s]))
  const due = new Set(await sourcesWithDueActivities(ctx.db, ctx.now()))
  const totals: SourceCounts = { attempts: 0, finished: 0, failed: 0, retrying: 0, manual: 0 }
  const sourceErrors: { source: string; message: string }[] = []
  const leaseMs = (options.leaseSeconds ?? 60) * 1000
  await Promise.all(
    rows
      .filter((r) => due.has(r.id) && (options.sources === undefined || options.sources.includes(r.name)))
      .map(async (row) => {
        const source = configured.get(row.name)
        if (!source) return
        try {
          const counts = await executeSource(ctx, source, row.id, leaseMs)
          for (const k of Object.keys(totals) as (keyof SourceCounts)[]) totals[k] += counts[k]
        } catch (err) {
          sourceErrors.push({ source: row.name, message: coerceError(err).message })
        }
      }),
  )
  // After a large run, the executors' index is cleaned and the planner's statistics brought up to date.
  await vacuumIfChurned(ctx.db, 'activities', totals.attempts + totals.manual)
  return { ...totals, sourceErrors }
}
