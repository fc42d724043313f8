import type { Campaign } from '../../domain/certifications/campaign.js'
import type { EngineContext } from '../engine-context.js'

/**
 * The names of a campaign's subjects the store does not know by name, by id: a role composition
 * campaign reviews roles, which live in the configuration. Undefined for campaigns of identities.
 */
export function subjectNamesOf(
  ctx: EngineContext,
  campaign: Campaign,
): ReadonlyMap<string, string> | undefined {
  if (campaign.type !== 'ROLE_COMPOSITION') return undefined
  return new Map(ctx.config.roles.flatMap(({ value: r }) => (r.id !== undefined ? [[r.id, r.name]] : [])))
}
