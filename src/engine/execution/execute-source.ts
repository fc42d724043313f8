import { setTimeout as sleep } from 'node:timers/promises'
import type { SourceConfig } from '../../domain/config/config-schemas.js'
import type { EngineContext } from '../engine-context.js'
import { isManualSource, sourceConnector } from '../source-connector.js'
import { attemptActivity } from './attempt-activity.js'
import type { AttemptResult } from './attempt-result.js'
import { claimActivities, keepClaims } from './claim-activities.js'
import { createManualTasks } from './create-manual-tasks.js'
import { recordResults } from './record-results.js'
import { openSourceScope } from './source-scope.js'

export type SourceCounts = {
  attempts: number
  finished: number
  failed: number
  retrying: number
  manual: number
}

/** How long a worker waits when other workers hold all of a source's slots. */
const SATURATED_WAIT_MS = 20
const SATURATED_WAITS = 100

/** Executes one source's due activities until none is left: through its connector, or as manual work items. */
export async function executeSource(
  ctx: EngineContext,
  source: SourceConfig,
  sourceId: string,
  leaseMs: number,
): Promise<SourceCounts> {
  const counts: SourceCounts = { attempts: 0, finished: 0, failed: 0, retrying: 0, manual: 0 }
  if (isManualSource(ctx, source)) {
    counts.manual = await createManualTasks(ctx, source, sourceId, leaseMs)
    return counts
  }
  const connector = sourceConnector(ctx, source)
  const scope = openSourceScope(ctx, source, sourceId, connector)
  try {
    // Waves: claim what the concurrency limit allows, run them together, record them together.
    let waits = 0
    for (;;) {
      const { claimed, saturated } = await claimActivities(ctx, sourceId, source.concurrency, leaseMs)
      if (claimed.length === 0) {
        // Other workers hold every slot of this source: wait a while for one to free up rather than
        // leave (the next job comes back anyway, so a worker whose peers are all stuck gives up).
        if (saturated && ++waits <= SATURATED_WAITS) {
          await sleep(SATURATED_WAIT_MS)
          continue
        }
        break
      }
      waits = 0
      const release = keepClaims(
        ctx,
        claimed.map((a) => a.id),
        leaseMs,
      )
      let results: AttemptResult[]
      try {
        results = await Promise.all(claimed.map((a) => attemptActivity(scope, a)))
      } finally {
        release()
      }
      await recordResults(ctx, results)
      counts.attempts += results.length
      for (const r of results) {
        if (r.outcome.status === 'FINISHED') counts.finished++
        else if (r.outcome.status === 'FAILED') counts.failed++
        else if (r.outcome.status === 'RETRY') counts.retrying++
      }
    }
  } finally {
    await connector.close()
  }
  return counts
}
