import type { AggregateResult } from './aggregate-source.js'
import type { EngineContext } from './engine-context.js'
import type { ProcessResult } from './process-identities.js'
import { refreshSource, type RefreshResult } from './refresh-source.js'

/** A refresh in the flat shape `aggregate --json` has always printed: the aggregation's counts, then `identities`. */
export interface AggregateThenProcessResult extends AggregateResult {
  /** Identity processing that followed, with what was applied as its `plan`. */
  readonly identities: ProcessResult
}

/** refreshSource's result in the flat shape of `aggregate --json` (stable output). */
export function flatRefreshResult(r: RefreshResult): AggregateThenProcessResult {
  // The keys in the order `aggregate --json` has always printed them.
  const { aggregatedMs, durationMs: _aggregationMs, phases, ...counts } = r.aggregated
  const p = r.processed
  const identities: ProcessResult = {
    ...p,
    plan: r.applied,
    durationMs: p.durationMs + r.appliedMs,
    phases: { ...p.phases, plan: (p.phases['plan'] ?? 0) + r.appliedMs },
  }
  return { ...counts, identities, aggregatedMs, durationMs: r.durationMs, phases }
}

/** refreshSource, flat: what the tests of incremental refresh read. */
export async function aggregateThenProcess(
  ctx: EngineContext,
  sourceName: string,
  options: { file?: string } = {},
): Promise<AggregateThenProcessResult> {
  return flatRefreshResult(await refreshSource(ctx, sourceName, options))
}
