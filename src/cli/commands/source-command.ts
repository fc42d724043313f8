import { createConnector } from '../../connectors/registry.js'
import { InputError, NotFoundError } from '../../domain/errors.js'
import { findSource } from '../../domain/config/workspace-config.js'
import { isManualSource } from '../../engine/execute-activities.js'
import { loadWorkspace } from '../../engine/workspace/load-workspace.js'

/** `provisio source test NAME`: can the source's system be reached with its configuration? */
export async function sourceTestCommand(workspace: string, name: string): Promise<void> {
  const config = await loadWorkspace(workspace)
  const source = findSource(config, name)
  if (!source) throw new NotFoundError(`no source named "${name}"`)
  if (isManualSource(source)) {
    throw new InputError(
      `source "${name}" is a flat-file source: it is read from its file, there is nothing to connect to`,
    )
  }
  const connector = createConnector(source.connector, {
    sourceName: source.name,
    connectorAttributes: source.connectorAttributes,
    workspaceDir: config.dir,
  })
  try {
    await connector.testConnection()
  } finally {
    await connector.close()
  }
  process.stdout.write(`source "${name}": connection OK (${source.connector})\n`)
}
