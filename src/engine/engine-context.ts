import type { ConnectorRegistry } from '../connectors/connector-registry.js'
import type { WorkspaceConfig } from '../domain/config/workspace-config.js'
import type { Db } from '../store/db.js'

/** Reports how far a long operation is; the CLI draws it on a terminal, tests ignore it. */
export type Progress = (phase: string, done: number, total: number) => void

/** What every use case runs against: the configuration, the store, the connector types, a clock. */
export interface EngineContext {
  readonly config: WorkspaceConfig
  readonly db: Db
  /** The connector types sources may use (`builtInConnectors()`, with a test's own added). */
  readonly connectors: ConnectorRegistry
  readonly now: () => Date
  readonly progress?: Progress
}
