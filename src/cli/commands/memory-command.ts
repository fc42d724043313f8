import { builtInConnectors } from '../../connectors/built-in-connectors.js'
import {
  BREAK_MODES,
  MEMORY_OPERATIONS,
  type BreakMode,
  type MemoryOperation,
} from '../../connectors/memory/break-mode.js'
import { MemoryConnector } from '../../connectors/memory/memory-connector.js'
import { InputError, NotFoundError } from '../../domain/errors.js'
import { findSource } from '../../domain/config/workspace-config.js'
import { sourceConnector } from '../../engine/source-connector.js'
import { loadWorkspace } from '../../engine/workspace/load-workspace.js'

/**
 * `provisio memory break|heal SOURCE`: switches the fault injection of an in-memory source, e.g. to watch
 * retries and recovery in the demo. The state is in the source's file, so running processes see it.
 */
export async function memoryCommand(
  workspace: string,
  action: 'break' | 'heal',
  sourceName: string,
  options: { operation?: string; mode?: string; latency?: string; message?: string },
): Promise<void> {
  const config = await loadWorkspace(workspace)
  const source = findSource(config, sourceName)
  if (!source) throw new NotFoundError(`no source named "${sourceName}"`)
  if (source.connector !== 'memory' || typeof source.connectorAttributes['file'] !== 'string') {
    throw new InputError(`source "${sourceName}" is not an in-memory source with a state file`)
  }
  const connector = sourceConnector({ config, connectors: builtInConnectors() }, source)
  if (!(connector instanceof MemoryConnector)) throw new InputError(`source "${sourceName}" is not in memory`)
  try {
    if (action === 'heal') {
      connector.clearBreakModes()
      process.stdout.write(`"${sourceName}": every operation works again\n`)
      return
    }
    const operation = options.operation ?? '*'
    const mode = (options.mode ?? 'NETWORK').toUpperCase()
    if (operation !== '*' && !(MEMORY_OPERATIONS as readonly string[]).includes(operation)) {
      throw new InputError(
        `--operation must be one of ${MEMORY_OPERATIONS.join(', ')} or * (every operation)`,
      )
    }
    if (!(BREAK_MODES as readonly string[]).includes(mode)) {
      throw new InputError(`--mode must be one of ${BREAK_MODES.join(', ')}`)
    }
    const latencyMs = options.latency !== undefined ? Number(options.latency) : undefined
    if (latencyMs !== undefined && !(latencyMs >= 0)) throw new InputError('--latency must be milliseconds')
    connector.setBreakMode(operation as MemoryOperation | '*', mode as BreakMode, {
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(options.message !== undefined ? { message: options.message } : {}),
    })
    process.stdout.write(
      `"${sourceName}": ${operation === '*' ? 'every operation' : operation} now ${mode}\n`,
    )
  } finally {
    await connector.close()
  }
}
