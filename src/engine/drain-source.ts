import { sourcesWithDueActivities } from '../store/activity-claims.js'
import { listSourceRows } from '../store/sources.js'
import type { EngineContext } from './engine-context.js'
import { executeDue } from './execution/execute-due.js'

/** The ids of the sources with activities due now (or whose worker died). */
export async function dueSourceIds(ctx: EngineContext): Promise<string[]> {
  return sourcesWithDueActivities(ctx.db, ctx.now())
}

/**
 * Works through one source's due activities, by stored source id (what the queue's jobs carry).
 * Returns a line for the log; empty when there was nothing to do or the source is unknown.
 */
export function sourceDrainer(
  ctx: EngineContext,
  leaseSeconds: number,
): (sourceId: string) => Promise<string> {
  const names = new Map<string, string>()
  const nameOf = async (sourceId: string): Promise<string | undefined> => {
    if (!names.has(sourceId)) for (const s of await listSourceRows(ctx.db)) names.set(s.id, s.name)
    return names.get(sourceId)
  }
  return async (sourceId) => {
    const name = await nameOf(sourceId)
    if (name === undefined) return ''
    const r = await executeDue(ctx, { sources: [name], leaseSeconds })
    if (r.sourceErrors.length > 0) return `provisioning "${name}" failed: ${r.sourceErrors[0]?.message}`
    if (r.attempts + r.manual === 0) return ''
    return (
      `provisioned "${name}": attempts ${r.attempts}, finished ${r.finished}, failed ${r.failed}, ` +
      `retrying ${r.retrying}, manual ${r.manual}`
    )
  }
}
