import { SystemError } from '../../domain/errors.js'
import { testSource } from '../../engine/test-source.js'
import { loadWorkspace } from '../../engine/workspace/load-workspace.js'
import { sourceTestJson } from '../../api/presenters/source-json.js'
import { printJson } from '../print-table.js'

/** `provisio source test NAME`: can the source's system be reached with its configuration? */
export async function sourceTestCommand(
  workspace: string,
  name: string,
  options: { json?: boolean } = {},
): Promise<void> {
  const result = await testSource(await loadWorkspace(workspace), name)
  if (options.json) printJson(sourceTestJson(result))
  if (!result.ok) throw new SystemError(result.source, result.cause)
  if (!options.json) process.stdout.write(`source "${name}": connection OK (${result.connector})\n`)
}
