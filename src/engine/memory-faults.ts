import {
  BREAK_MODES,
  MEMORY_OPERATIONS,
  type BreakMode,
  type MemoryOperation,
} from '../connectors/memory/break-mode.js'
import { MemoryConnector } from '../connectors/memory/memory-connector.js'
import { builtInConnectors } from '../connectors/built-in-connectors.js'
import type { WorkspaceConfig } from '../domain/config/workspace-config.js'
import { findSource } from '../domain/config/workspace-config.js'
import { InputError, NotFoundError } from '../domain/errors.js'
import { sourceConnector } from './source-connector.js'

export { BREAK_MODES, MEMORY_OPERATIONS, type BreakMode, type MemoryOperation }

/** The fault injection of one in-memory source (kept in its state file, so running processes see it). */
export interface MemoryFaults {
  /** Makes an operation (`*`: every one) fail the way a real system fails, or be slow. */
  set(
    operation: MemoryOperation | '*',
    mode: BreakMode,
    options?: { readonly latencyMs?: number; readonly message?: string },
  ): void
  /** Every operation works again. */
  clear(): void
  close(): Promise<void>
}

/**
 * Opens the fault injection of an in-memory source with a state file, e.g. to watch retries and
 * recovery in the demo. NotFoundError for an unknown source, InputError for one not in memory.
 */
export function openMemoryFaults(config: WorkspaceConfig, sourceName: string): MemoryFaults {
  const source = findSource(config, sourceName)
  if (!source) throw new NotFoundError(`no source named "${sourceName}"`)
  if (source.connector !== 'memory' || typeof source.connectorAttributes['file'] !== 'string') {
    throw new InputError(`source "${sourceName}" is not an in-memory source with a state file`)
  }
  const connector = sourceConnector({ config, connectors: builtInConnectors() }, source)
  if (!(connector instanceof MemoryConnector)) throw new InputError(`source "${sourceName}" is not in memory`)
  return {
    set: (operation, mode, options = {}) => connector.setBreakMode(operation, mode, options),
    clear: () => connector.clearBreakModes(),
    close: () => connector.close(),
  }
}
