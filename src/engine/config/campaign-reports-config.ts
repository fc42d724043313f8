import { writeSettingsSection, type Changed, type ReconfigurableEngine } from './change-config.js'

/**
 * Replaces the campaign reports' configuration (`campaignReportsConfig:` of provisio.yaml): the identity
 * attributes added as report columns. Only that section of the file is rewritten; no columns removes it.
 * Checked with validate's rules (each column an identity attribute some profile produces), then published.
 */
export async function setCampaignReportsConfig(
  engine: ReconfigurableEngine,
  identityAttributeColumns: readonly string[],
  author?: string,
): Promise<Changed<{ readonly identityAttributeColumns: readonly string[] }>> {
  const value = identityAttributeColumns.length > 0 ? { identityAttributeColumns } : undefined
  const changed = await writeSettingsSection(engine, 'campaignReportsConfig', value, author)
  return {
    ...changed,
    identityAttributeColumns:
      changed.workspace.config.settings.campaignReportsConfig.identityAttributeColumns,
  }
}
