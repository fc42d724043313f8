import type { Campaign } from '../../domain/certifications/campaign.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../../domain/errors.js'
import { listCertifications, type Certification } from '../../store/certifications.js'
import type { EngineContext } from '../engine-context.js'
import { campaignById } from './activate-campaign.js'
import { isCampaignAdmin, type CampaignActor } from './campaign-actor.js'

/** A certification the actor may see: their own as reviewer, or any for a campaign administrator. */
export async function certificationFor(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<{ cert: Certification; campaign: Campaign }> {
  const [cert] = await listCertifications(ctx.db, { ids: [id] })
  // Someone else's certification is not found for them, as the reference answers.
  if (!cert || (!isCampaignAdmin(actor) && actor.identityId !== cert.reviewerId)) {
    throw new NotFoundError(`no certification with id "${id}"`)
  }
  const campaign = await campaignById(ctx, cert.campaignId)
  // A staged campaign is the administrators' preview: its reviewers have not been told, and do not see it.
  if (campaign.status === 'STAGED' && !isCampaignAdmin(actor)) {
    throw new NotFoundError(`no certification with id "${id}"`)
  }
  return { cert, campaign }
}

/** The same, to change it: its campaign active and the certification not signed off yet. */
export async function openCertificationFor(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<{ cert: Certification; campaign: Campaign }> {
  const found = await certificationFor(ctx, actor, id)
  if (found.campaign.status !== 'ACTIVE') {
    throw new ConflictError(
      `campaign "${found.campaign.name}" is ${found.campaign.status}: decisions are taken while it is ACTIVE`,
    )
  }
  if (found.cert.signed !== null) {
    throw new ConflictError(
      `certification ${id} was signed off on ${found.cert.signed}: its decisions are final`,
    )
  }
  return found
}

/** Only the reviewer (or an administrator, recorded as such) decides and signs off. */
export function requireReviewer(actor: CampaignActor, cert: Certification): void {
  if (actor.identityId !== cert.reviewerId && !isCampaignAdmin(actor)) {
    throw new ForbiddenError(`certification ${cert.id} is reviewed by someone else`)
  }
}
