import type { Campaign } from '../../../domain/certifications/campaign.js'
import { campaignById } from '../../../engine/certifications/activate-campaign.js'
import { identitiesById } from '../../../engine/queries/identities-by-id.js'
import type { ApiContext } from '../../api-context.js'
import { certificationV3Json, type Certification } from '../../presenters/certification-v3-json.js'

/**
 * Certifications in the reference's shape, each with its campaign and its reviewers' names, read once
 * per page (a page of one reviewer's certifications spans few campaigns).
 */
export async function presentCertifications(
  ctx: ApiContext,
  certs: readonly Certification[],
  known: readonly Campaign[] = [],
): Promise<object[]> {
  const campaigns = new Map(known.map((c) => [c.id, c]))
  for (const id of new Set(certs.map((c) => c.campaignId))) {
    if (!campaigns.has(id)) campaigns.set(id, await campaignById(ctx.engine, id))
  }
  const names = await identitiesById(
    ctx.engine,
    certs.flatMap((c) => [c.reviewerId, c.originalReviewerId]),
  )
  return certs.map((c) => certificationV3Json(c, campaigns.get(c.campaignId) as Campaign, names))
}
