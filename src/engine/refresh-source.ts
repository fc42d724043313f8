import { aggregateSource, type AggregateResult } from './aggregate-source.js'
import { applyIfAutomatic, type AppliedChanges } from './apply-plan.js'
import type { EngineContext } from './engine-context.js'
import { processIdentities, type ProcessResult } from './process-identities.js'

export type RefreshStep = 'aggregate' | 'process' | 'apply'

export interface RefreshOptions {
  /** Another file to read, for a source read from a file. */
  readonly file?: string
  /** Called as each step begins (a task records it as its progress). */
  readonly onStep?: (step: RefreshStep) => Promise<void>
}

/** Each step of a source refresh, as it returned. */
export interface RefreshResult {
  readonly source: string
  readonly aggregated: AggregateResult
  /** Identity processing of what the aggregation queued (its `plan` is null: applying is the next step). */
  readonly processed: ProcessResult
  /** What was applied (`settings.provisioning: automatic`); null when the plan waits for `provisio apply`. */
  readonly applied: AppliedChanges | null
  /** Planning and writing the applied changes (0 when nothing was applied). */
  readonly appliedMs: number
  /** The whole refresh. */
  readonly durationMs: number
}

/**
 * Refreshes from one source: aggregates it, processes the identities it queued, and applies the plan of
 * what changed when provisioning is automatic. Three steps, each committing on its own: an aggregation
 * stays stored when processing fails, and the queues keep the identities for the next run. What the CLI's
 * `aggregate`, the scheduled aggregations and the source-aggregation tasks run.
 */
export async function refreshSource(
  ctx: EngineContext,
  sourceName: string,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const t0 = performance.now()
  await options.onStep?.('aggregate')
  const aggregated = await aggregateSource(ctx, sourceName, options.file ? { file: options.file } : {})
  await options.onStep?.('process')
  const processed = await processIdentities(ctx, { apply: false })
  const t1 = performance.now()
  if (ctx.config.settings.provisioning === 'automatic') await options.onStep?.('apply')
  const applied = await applyIfAutomatic(ctx)
  const appliedMs = applied ? performance.now() - t1 : 0
  const durationMs = Math.max(aggregated.durationMs, performance.now() - t0)
  return { source: aggregated.source, aggregated, processed, applied, appliedMs, durationMs }
}
