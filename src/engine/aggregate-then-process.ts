import { aggregateSource, type AggregateResult } from './aggregate-source.js'
import type { EngineContext } from './engine-context.js'
import { processIdentities, type ProcessResult } from './process-identities.js'

export interface AggregateThenProcessResult extends AggregateResult {
  /** Identity processing that followed (every aggregation can change identity inputs). */
  readonly identities: ProcessResult
}

/**
 * Aggregates a source, then processes the identities it queued: two steps, each committing on its own
 * (an aggregation stays stored when processing fails, and the queue keeps the identities for the next run).
 * `durationMs` covers both.
 */
export async function aggregateThenProcess(
  ctx: EngineContext,
  sourceName: string,
  options: { file?: string } = {},
): Promise<AggregateThenProcessResult> {
  const t0 = performance.now()
  const aggregated = await aggregateSource(ctx, sourceName, options)
  const identities = await processIdentities(ctx)
  // The keys in the order `aggregate --json` has always printed them.
  const { aggregatedMs, durationMs, phases, ...counts } = aggregated
  const total = Math.max(durationMs, performance.now() - t0)
  return { ...counts, identities, aggregatedMs, durationMs: total, phases }
}
