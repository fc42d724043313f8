import { builtInConnectors } from '../connectors/built-in-connectors.js'
import type { WorkspaceConfig } from '../domain/config/workspace-config.js'
import { findSource } from '../domain/config/workspace-config.js'
import { InputError, NotFoundError, ProvisioError, SecretUnavailableError } from '../domain/errors.js'
import { classifyError, type ErrorKind } from '../domain/execution/classify-error.js'
import { isManualSource, sourceConnector } from './source-connector.js'

/** What testing a source's connection came to. */
export type SourceTestResult =
  | { readonly source: string; readonly connector: string; readonly ok: true }
  | {
      readonly source: string
      readonly connector: string
      readonly ok: false
      /** The system's failure, classified as the executor classifies it. */
      readonly error: { readonly kind: ErrorKind; readonly code?: string; readonly message: string }
      readonly cause: unknown
    }

/**
 * Can a source's system be reached with its configuration? A failure the system answers with is the
 * result (`ok: false`); a configuration problem — no such source, a flat-file source, settings that cannot
 * be read (an unset ${env:} variable, an invalid URL) — is thrown with its own error.
 */
export async function testSource(
  config: WorkspaceConfig,
  name: string,
  connectors = builtInConnectors(),
): Promise<SourceTestResult> {
  const ctx = { config, connectors }
  const source = findSource(config, name)
  if (!source) throw new NotFoundError(`no source named "${name}"`)
  if (isManualSource(ctx, source)) {
    throw new InputError(
      `source "${name}" is a flat-file source: it is read from its file, there is nothing to connect to`,
    )
  }
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
    return { source: source.name, connector: source.connector, ok: true }
  } catch (err) {
    if (err instanceof ProvisioError) throw err
    const failure = classifyError(err)
    return {
      source: source.name,
      connector: source.connector,
      ok: false,
      error: {
        kind: failure.kind,
        ...(failure.code ? { code: failure.code } : {}),
        message: failure.message,
      },
      cause: err,
    }
  } finally {
    await connector.close()
  }
}
