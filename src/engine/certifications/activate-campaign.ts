import { campaignMove, type Campaign } from '../../domain/certifications/campaign.js'
import { ConflictError, NotFoundError } from '../../domain/errors.js'
import { findCampaign, moveCampaign } from '../../store/campaigns.js'
import { listCertifications } from '../../store/certifications.js'
import type { EngineContext } from '../engine-context.js'
import { notify } from '../requests/request-notifications.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { certificationMessage } from './campaign-notifications.js'

export async function campaignById(ctx: EngineContext, id: string): Promise<Campaign> {
  const campaign = await findCampaign(ctx.db, id)
  if (!campaign) throw new NotFoundError(`no campaign with id "${id}"`)
  return campaign
}

/**
 * Activates a staged campaign: its reviewers may decide from now on, and each is told (unless the
 * campaign turned email notifications off) in the transaction that activates it. The deadline must be in
 * the future. CERT_ADMIN or ORG_ADMIN.
 */
export async function activateCampaign(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<Campaign> {
  requireCampaignAdmin(actor, 'activating a campaign')
  const campaign = await campaignById(ctx, id)
  const now = ctx.now()
  campaignMove(campaign, 'activate', now)
  const certs = await listCertifications(ctx.db, { campaignIds: [id] })
  await ctx.db.transaction(async (tx) => {
    if (!(await moveCampaign(tx, id, 'STAGED', 'ACTIVE', now, { activated: true }))) {
      throw new ConflictError(`campaign "${campaign.name}" was changed meanwhile: read it again`)
    }
    if (campaign.spec.emailNotificationEnabled === false) return
    await notify(
      ctx,
      tx,
      certs.map((c) =>
        certificationMessage('CERTIFICATION_ACTIVATED', campaign, c, { itemCount: c.itemsTotal }),
      ),
    )
  })
  return campaignById(ctx, id)
}
