import { countCertifications } from '../../store/certifications.js'
import type { EngineContext } from '../engine-context.js'

/** How far a campaign is: its certifications, and how many of them are signed off. */
export interface CampaignProgress {
  readonly totalCertifications: number
  readonly completedCertifications: number
}

/**
 * The progress of each campaign (the reference's `totalCertifications` and `completedCertifications`),
 * counted in the store: a listing shows a page of campaigns, never their certifications.
 */
export async function campaignProgress(
  ctx: EngineContext,
  campaignIds: readonly string[],
): Promise<Map<string, CampaignProgress>> {
  const counted = await Promise.all(
    campaignIds.map(async (id): Promise<[string, CampaignProgress]> => {
      const [totalCertifications, completedCertifications] = await Promise.all([
        countCertifications(ctx.db, { campaignIds: [id] }),
        countCertifications(ctx.db, { campaignIds: [id], signed: true }),
      ])
      return [id, { totalCertifications, completedCertifications }]
    }),
  )
  return new Map(counted)
}
