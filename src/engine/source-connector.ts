import type { Connector } from '../connectors/connector.js'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import type { EngineContext } from './engine-context.js'

/** The connector of a source, built by the engine's registry: the one way the engine gets one. */
export function sourceConnector(
  ctx: Pick<EngineContext, 'config' | 'connectors'>,
  source: SourceConfig,
): Connector {
  return ctx.connectors.create(source.connector, {
    sourceName: source.name,
    connectorAttributes: source.connectorAttributes,
    schemas: source.schemas,
    workspaceDir: ctx.config.dir,
  })
}

/**
 * Whether a source's changes are made by people (a work item for its owner) rather than by its connector:
 * a flat-file source (SailPoint's `connectionType: file`), or one whose connector only reads.
 */
export function isManualSource(ctx: Pick<EngineContext, 'connectors'>, source: SourceConfig): boolean {
  return source.connectionType === 'file' || ctx.connectors.provisioning(source.connector) === 'manual'
}
