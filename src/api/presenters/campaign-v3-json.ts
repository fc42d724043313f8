import type { Campaign } from '../../domain/certifications/campaign.js'
import type { CampaignProgress } from '../../engine/certifications/campaign-progress.js'
import type { Generated } from '../../engine/certifications/generate-campaign.js'

/** `GET /v3/campaigns?detail=SLIM` (the default) or `FULL`, as the reference names them. */
export type CampaignDetail = 'SLIM' | 'FULL'

const NO_PROGRESS: CampaignProgress = { totalCertifications: 0, completedCertifications: 0 }

/**
 * A campaign in the reference's `Campaign` shape (`SlimCampaign` when slim), with Provisio's own fields under
 * `provisio`: its owner, what a revocation of an account does, the deadline's automatic completion, the
 * lifecycle's dates, and (when just created) what its generation made.
 */
export function campaignV3Json(
  campaign: Campaign,
  progress: CampaignProgress | undefined,
  detail: CampaignDetail = 'FULL',
  generated?: Generated | null,
): object {
  const { spec } = campaign
  const counts = progress ?? NO_PROGRESS
  const slim = {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description,
    // The reference's deadline is a non-nullable date-time: a campaign without one leaves it out.
    ...(campaign.deadline !== null ? { deadline: campaign.deadline } : {}),
    type: campaign.type,
    emailNotificationEnabled: spec.emailNotificationEnabled ?? false,
    autoRevokeAllowed: spec.autoRevokeAllowed ?? false,
    recommendationsEnabled: spec.recommendationsEnabled ?? false,
    status: campaign.status,
    correlatedStatus: spec.correlatedStatus ?? 'CORRELATED',
    created: campaign.created,
    totalCertifications: counts.totalCertifications,
    completedCertifications: counts.completedCertifications,
    alerts:
      campaign.error === null
        ? []
        : [
            {
              level: 'ERROR',
              localizations: [{ locale: 'en-US', localeOrigin: 'DEFAULT', text: campaign.error }],
            },
          ],
  }
  if (detail === 'SLIM') return slim
  return {
    ...slim,
    modified: campaign.modified,
    sunsetCommentsRequired: spec.sunsetCommentsRequired ?? true,
    // The reference's schema has these objects non-nullable: a campaign without them leaves them out.
    ...(spec.sourceOwnerCampaignInfo ? { sourceOwnerCampaignInfo: spec.sourceOwnerCampaignInfo } : {}),
    ...(spec.searchCampaignInfo ? { searchCampaignInfo: spec.searchCampaignInfo } : {}),
    ...(spec.roleCompositionCampaignInfo
      ? { roleCompositionCampaignInfo: spec.roleCompositionCampaignInfo }
      : {}),
    mandatoryCommentRequirement: spec.mandatoryCommentRequirement ?? 'NO_DECISIONS',
    provisio: {
      ownerId: campaign.ownerId,
      itemsTotal: campaign.itemsTotal,
      accountRevocation: spec.accountRevocation ?? 'DISABLE',
      autoCompleteAction: spec.autoCompleteAction ?? null,
      autoCompletedWith: campaign.autoCompletedWith,
      reminderDays: spec.reminderDays ?? [],
      activated: campaign.activated,
      signedOff: campaign.signedOff,
      completed: campaign.completed,
      error: campaign.error,
      ...(generated !== undefined ? { generated } : {}),
    },
  }
}
