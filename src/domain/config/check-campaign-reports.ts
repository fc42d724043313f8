import { fold } from '../access/criteria-values.js'
import type { ConfigProblem } from '../errors.js'
import { producedIdentityAttributes } from './check-criteria.js'
import { nearestName } from './nearest-name.js'
import type { WorkspaceConfig } from './workspace-config.js'

/**
 * The campaign reports' identity attribute columns name attributes some identity profile produces: a
 * misspelt one would be an empty column in every report.
 */
export function checkCampaignReportsConfig(config: WorkspaceConfig, problems: ConfigProblem[]): void {
  const produced = producedIdentityAttributes(config)
  const seen = new Set<string>()
  config.settings.campaignReportsConfig.identityAttributeColumns.forEach((name, i) => {
    const at = {
      file: 'provisio.yaml',
      object: 'workspace',
      path: `campaignReportsConfig.identityAttributeColumns[${i}]`,
    }
    if (seen.has(fold(name))) {
      problems.push({ ...at, message: `"${name}" is listed twice` })
    }
    seen.add(fold(name))
    if (produced.has(fold(name))) return
    const near = nearestName(name, produced.values())
    problems.push({
      ...at,
      message:
        `no identity profile produces identity attribute "${name}"` +
        (near !== undefined ? ` (did you mean "${near}"?)` : ''),
    })
  })
}
