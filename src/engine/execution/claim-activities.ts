import { claimDue, renewLeases, type ClaimedActivity } from '../../store/activity-claims.js'
import type { EngineContext } from '../engine-context.js'

/** Claims up to `concurrency` of a source's due activities (minus those other workers hold) for `leaseMs`. */
export async function claimActivities(
  ctx: EngineContext,
  sourceId: string,
  concurrency: number,
  leaseMs: number,
  now: Date = ctx.now(),
): Promise<{ readonly claimed: ClaimedActivity[]; readonly saturated: boolean }> {
  return claimDue(ctx.db, { sourceId, concurrency, now, leaseUntil: new Date(now.getTime() + leaseMs) })
}

/**
 * Renews the claims of activities while they execute, so a slow system does not look like a dead worker
 * whose activities another may take over; the function returned stops renewing.
 */
export function keepClaims(ctx: EngineContext, ids: readonly string[], leaseMs: number): () => void {
  const renew = setInterval(() => {
    const until = new Date(ctx.now().getTime() + leaseMs)
    // A renewal that fails is retried at the next tick; the lease still has two thirds to run.
    renewLeases(ctx.db, ids, until).catch(() => undefined)
  }, leaseMs / 3)
  return () => clearInterval(renew)
}
