import type { Connector } from '../../connectors/connector.js'
import type { SourceConfig } from '../../domain/config/config-schemas.js'
import { loadIdentityAttributesById } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'

/** What every attempt on one source's activities shares during one run. */
export interface SourceScope {
  readonly ctx: EngineContext
  readonly source: SourceConfig
  readonly sourceId: string
  readonly connector: Connector
  /** The source's `retryableErrors`, for classifying what its connector throws. */
  readonly retryable: readonly string[]
  /** An identity's attributes (for secrets and correlation), loaded once per run. */
  identity(id: string): Promise<Readonly<Record<string, unknown>>>
}

export function openSourceScope(
  ctx: EngineContext,
  source: SourceConfig,
  sourceId: string,
  connector: Connector,
): SourceScope {
  const patterns = source.connectorAttributes['retryableErrors']
  const retryable = Array.isArray(patterns) ? patterns.filter((p): p is string => typeof p === 'string') : []
  const identities = new Map<string, Readonly<Record<string, unknown>>>()
  return {
    ctx,
    source,
    sourceId,
    connector,
    retryable,
    async identity(id) {
      let attributes = identities.get(id)
      if (!attributes) {
        attributes = (await loadIdentityAttributesById(ctx.db, [id])).get(id) ?? {}
        identities.set(id, attributes)
      }
      return attributes
    },
  }
}
