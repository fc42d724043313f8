import { builtInConnectors } from '../../connectors/built-in-connectors.js'
import {
  InputError,
  NotFoundError,
  ProvisioError,
  SecretUnavailableError,
  SystemError,
} from '../../domain/errors.js'
import { findSource } from '../../domain/config/workspace-config.js'
import { classifyError } from '../../domain/execution/classify-error.js'
import { isManualSource, sourceConnector } from '../../engine/source-connector.js'
import { loadWorkspace } from '../../engine/workspace/load-workspace.js'
import { printJson } from '../print-table.js'

/** `provisio source test NAME`: can the source's system be reached with its configuration? */
export async function sourceTestCommand(
  workspace: string,
  name: string,
  options: { json?: boolean } = {},
): Promise<void> {
  const config = await loadWorkspace(workspace)
  const source = findSource(config, name)
  if (!source) throw new NotFoundError(`no source named "${name}"`)
  const ctx = { config, connectors: builtInConnectors() }
  if (isManualSource(ctx, source)) {
    throw new InputError(
      `source "${name}" is a flat-file source: it is read from its file, there is nothing to connect to`,
    )
  }
  // Settings that cannot be read (an unset ${env:} variable, an invalid URL) are configuration problems
  // and keep their own error; whatever the system answers is the system's failure.
  const connector = (() => {
    try {
      return sourceConnector(ctx, source)
    } catch (err) {
      if (err instanceof SecretUnavailableError) {
        throw new SecretUnavailableError(`source "${name}": ${err.message}`, { cause: err })
      }
      throw err
    }
  })()
  try {
    await connector.testConnection()
  } catch (err) {
    if (err instanceof ProvisioError) throw err
    if (options.json) {
      const failure = classifyError(err)
      printJson({
        source: source.name,
        connector: source.connector,
        ok: false,
        error: {
          kind: failure.kind,
          ...(failure.code ? { code: failure.code } : {}),
          message: failure.message,
        },
      })
    }
    throw new SystemError(source.name, err)
  } finally {
    await connector.close()
  }
  if (options.json) return printJson({ source: source.name, connector: source.connector, ok: true })
  process.stdout.write(`source "${name}": connection OK (${source.connector})\n`)
}
