import type { CampaignTemplate } from '../../domain/certifications/campaign-template.js'

/** A campaign template as the reference's v3 CampaignTemplate, with Provisio's schedule state. */
export function campaignTemplateV3Json(t: CampaignTemplate): object {
  return {
    id: t.id,
    name: t.name,
    description: t.description ?? '',
    created: t.created,
    modified: t.modified,
    scheduled: t.schedule !== null,
    ownerRef: t.ownerId !== null ? { id: t.ownerId, type: 'IDENTITY' } : null,
    deadlineDuration: t.deadlineDuration,
    campaign: { ...t.campaign, description: t.campaign.description ?? '' },
    provisio: { nextRun: t.nextRun, lastGenerated: t.lastGenerated, lastError: t.lastError },
  }
}
