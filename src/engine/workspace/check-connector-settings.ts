import type { SourceConfig } from '../../domain/config/config-schemas.js'
import { unknownFieldProblems } from '../../domain/config/unknown-fields.js'
import type { Located } from '../../domain/config/workspace-config.js'
import { zodProblems } from '../../domain/config/zod-problems.js'
import type { ConfigProblem } from '../../domain/errors.js'
import { resolve } from 'node:path'
import type { ConnectorRegistry } from '../../connectors/connector-registry.js'
import { connectorModulePath, noConnectorAt } from '../../connectors/sailpoint-sdk/sailpoint-sdk-settings.js'

/** Settings every source may have whatever its connector: the engine reads them, not the connector. */
const ENGINE_SETTINGS = ['retryableErrors']

/**
 * Each direct source's `connector` is a known type and its `connectorAttributes` fit that connector's
 * schema, with no field the connector does not know (a misspelt `delimeter` would leave the default in
 * force), so `provisio validate` finds a misspelt setting before a run does. Nothing is connected and no
 * secret is resolved: that is `provisio source test`.
 */
export function checkConnectorSettings(
  sources: readonly Located<SourceConfig>[],
  /** The workspace folder, which relative paths in the settings are relative to. */
  dir: string,
  connectors: ConnectorRegistry,
): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  for (const { file, value: source } of sources) {
    const object = `source "${source.name}"`
    const at = { file, object, prefix: 'connectorAttributes', allowed: ENGINE_SETTINGS }
    if (!connectors.has(source.connector)) {
      const known = connectors.types().join(', ')
      problems.push({
        file,
        object,
        path: 'connector',
        message: `unknown connector type ${source.connector} (known: ${known})`,
      })
      continue
    }
    const schema = connectors.settingsSchema(source.connector)
    if (!schema) continue
    const parsed = schema.safeParse(source.connectorAttributes)
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, file, object, 'connectorAttributes'))
    } else if (source.connector === 'sailpoint-sdk') {
      // The one setting a connector reads from disk when it is built: a run would stop on it.
      const module = (parsed.data as { module: string }).module
      if (connectorModulePath(resolve(dir, module)) === undefined) {
        problems.push({ file, object, path: 'connectorAttributes.module', message: noConnectorAt(module) })
      }
    }
    problems.push(...unknownFieldProblems(source.connectorAttributes, schema, 'connector settings', at))
  }
  return problems
}
