import { countByStatus } from '../store/activities.js'
import type { EngineContext } from './engine-context.js'
import { executeDue, type ExecuteOptions, type ExecuteResult } from './execution/execute-due.js'

export interface SettledSummary {
  readonly finished: number
  readonly failed: number
  /** Waiting for a later attempt (RETRY). */
  readonly retrying: number
  /** Waiting for a person: manual work items, or committed and waiting for the next aggregation. */
  readonly manual: number
  readonly unverifiable: number
  readonly sourceErrors: ExecuteResult['sourceErrors']
}

/**
 * Executes until nothing more can be done now (`apply --wait`, `retry`): every activity given is
 * finished, failed, waiting for its next attempt, or waiting for a person.
 */
export async function runUntilSettled(
  ctx: EngineContext,
  ids: readonly string[],
  options: ExecuteOptions & { onProgress?: (counts: Record<string, number>) => void } = {},
): Promise<SettledSummary> {
  const sourceErrors: ExecuteResult['sourceErrors'][number][] = []
  for (;;) {
    const pass = await executeDue(ctx, options)
    sourceErrors.push(...pass.sourceErrors)
    if (ids.length > 0) options.onProgress?.(await countByStatus(ctx.db, ids))
    if (pass.attempts === 0 && pass.manual === 0) break
  }
  const counts = ids.length > 0 ? await countByStatus(ctx.db, ids) : {}
  const n = (s: string): number => counts[s] ?? 0
  return {
    finished: n('FINISHED'),
    failed: n('FAILED'),
    retrying: n('RETRY'),
    manual: n('PENDING') + n('COMMITED'),
    unverifiable: n('UNVERIFIABLE'),
    sourceErrors,
  }
}
