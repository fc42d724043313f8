import type { SourceConfig } from '../../domain/config/config-schemas.js'
import type { Located } from '../../domain/config/workspace-config.js'
import { zodProblems } from '../../domain/config/zod-problems.js'
import type { ConfigProblem } from '../../domain/errors.js'
import { connectorRegistry, connectorSettingsSchema } from '../../connectors/registry.js'

/**
 * Each direct source's `connector` is a known type and its `connectorAttributes` fit that connector's
 * schema, so `provisio validate` finds a misspelt setting before a run does. Nothing is connected and no
 * secret is resolved: that is `provisio source test`.
 */
export function checkConnectorSettings(sources: readonly Located<SourceConfig>[]): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  for (const { file, value: source } of sources) {
    if (source.connector === 'delimited-file') continue
    const object = `source "${source.name}"`
    if (!connectorRegistry.has(source.connector)) {
      const known = [...connectorRegistry.keys(), 'delimited-file'].sort().join(', ')
      problems.push({
        file,
        object,
        path: 'connector',
        message: `unknown connector type ${source.connector} (known: ${known})`,
      })
      continue
    }
    const parsed = connectorSettingsSchema(source.connector)?.safeParse(source.connectorAttributes)
    if (parsed && !parsed.success) {
      problems.push(...zodProblems(parsed.error, file, object, 'connectorAttributes'))
    }
  }
  return problems
}
