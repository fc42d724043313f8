import type { Campaign } from '../../domain/certifications/campaign.js'
import type { CertificationItem } from '../../domain/certifications/certification-item.js'
import type { EngineContext } from '../engine-context.js'
import { remediateItems, type RemediationCounts } from './remediate-items.js'
import { remediateRoleComposition } from './remediate-role-composition.js'

/**
 * Carries out signed-off decisions as the campaign's type means them: an identity's access
 * (remediateItems), or a role's definition (remediateRoleComposition).
 */
export function remediateCampaignItems(
  ctx: EngineContext,
  campaign: Campaign,
  items: readonly CertificationItem[],
): Promise<RemediationCounts> {
  return campaign.type === 'ROLE_COMPOSITION'
    ? remediateRoleComposition(ctx, campaign, items)
    : remediateItems(ctx, campaign, items)
}
