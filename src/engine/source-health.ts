import { findSource } from '../domain/config/workspace-config.js'
import { NotFoundError, ProvisioError } from '../domain/errors.js'
import type { EngineContext } from './engine-context.js'
import { listSources } from './queries/list-sources.js'
import { isManualSource } from './source-connector.js'
import { testSource } from './test-source.js'

/** How a source is doing, in the reference's states, and how Provisio found out. */
export interface SourceHealth {
  readonly status:
    | 'SOURCE_STATE_HEALTHY'
    | 'SOURCE_STATE_FAILURE_SOURCE'
    | 'SOURCE_STATE_ERROR_SOURCE'
    | 'SOURCE_STATE_UNCHECKED_SOURCE'
  /** `connection-test`: its system was asked just now; `last-aggregation`: a file source, by its last read. */
  readonly checkedBy: 'connection-test' | 'last-aggregation'
  readonly lastAggregatedAt: string | null
  /** Why it is not healthy: the system's failure, or a configuration problem (an unset secret variable). */
  readonly error?: string
}

/**
 * A source's health. A direct source is tested now (`provisio source test`: the connector connects to its
 * system): healthy when it answers, a failure with the system's error when not, an error when its settings
 * cannot be used. A file source has nothing to connect to: it is healthy once it has been aggregated,
 * unchecked before.
 */
export async function sourceHealth(ctx: EngineContext, name: string): Promise<SourceHealth> {
  const source = findSource(ctx.config, name)
  if (!source) throw new NotFoundError(`no source named "${name}"`)
  const stored = (await listSources(ctx)).find((s) => s.name === source.name)
  const lastAggregatedAt = stored?.lastAggregatedAt ?? null
  if (isManualSource(ctx, source)) {
    return {
      status: lastAggregatedAt === null ? 'SOURCE_STATE_UNCHECKED_SOURCE' : 'SOURCE_STATE_HEALTHY',
      checkedBy: 'last-aggregation',
      lastAggregatedAt,
    }
  }
  try {
    const result = await testSource(ctx.config, source.name, ctx.connectors)
    return result.ok
      ? { status: 'SOURCE_STATE_HEALTHY', checkedBy: 'connection-test', lastAggregatedAt }
      : {
          status: 'SOURCE_STATE_FAILURE_SOURCE',
          checkedBy: 'connection-test',
          lastAggregatedAt,
          error: result.error.message,
        }
  } catch (err) {
    if (!(err instanceof ProvisioError)) throw err
    return {
      status: 'SOURCE_STATE_ERROR_SOURCE',
      checkedBy: 'connection-test',
      lastAggregatedAt,
      error: err.message,
    }
  }
}
