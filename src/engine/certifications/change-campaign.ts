import { campaignMove, campaignSpecSchema, type Campaign } from '../../domain/certifications/campaign.js'
import { ConflictError, InputError, NotFoundError } from '../../domain/errors.js'
import { deleteCampaigns, lockCampaigns, updateCampaignFields } from '../../store/campaigns.js'
import { listCertifications } from '../../store/certifications.js'
import type { EngineContext } from '../engine-context.js'
import { notify } from '../requests/request-notifications.js'
import { campaignById } from './activate-campaign.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { certificationMessage } from './campaign-notifications.js'

/** What PATCH /v3/campaigns/{id} may change. */
export interface CampaignChange {
  readonly name?: string
  readonly description?: string | null
  readonly deadline?: string | null
}

/**
 * Changes a campaign's name and description (STAGED or ACTIVE) or its deadline (STAGED; ACTIVE only to a
 * later one, as the reference): never after it completes. Reviewers with decisions left are told when an
 * ACTIVE campaign's deadline is set or moved. CERT_ADMIN or ORG_ADMIN.
 */
export async function changeCampaign(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
  change: CampaignChange,
): Promise<Campaign> {
  requireCampaignAdmin(actor, 'changing a campaign')
  const now = ctx.now()
  // Checked and written with the campaign's row locked: an activation between a check and the write would
  // have its deadline shortened after reviewers were given it, a completion its name changed after.
  await ctx.db.transaction(async (tx) => {
    const [campaign] = await lockCampaigns(tx, [id])
    if (!campaign) throw new NotFoundError(`no campaign with id "${id}"`)
    if (campaign.status !== 'STAGED' && campaign.status !== 'ACTIVE') {
      throw new ConflictError(
        `campaign "${campaign.name}" is ${campaign.status}: only a STAGED or ACTIVE campaign changes`,
      )
    }
    const fields = changedFields(change)
    const { deadline } = fields
    if (deadline !== undefined) checkDeadline(campaign, deadline, now)
    await updateCampaignFields(tx, id, fields, now)
    const moved = deadline !== undefined && deadline !== campaign.deadline
    if (campaign.status === 'ACTIVE' && moved && campaign.spec.emailNotificationEnabled !== false) {
      const changed: Campaign = { ...campaign, ...fields }
      const open = await listCertifications(tx, { campaignIds: [id], signed: false })
      await notify(
        ctx,
        tx,
        open.map((cert) =>
          certificationMessage('CERTIFICATION_DEADLINE_CHANGED', changed, cert, {
            previousDueDate: campaign.deadline,
            itemsLeft: cert.itemsTotal - cert.itemsDecided,
          }),
        ),
      )
    }
  })
  return campaignById(ctx, id)
}

/** The fields a change writes, checked (a deadline read as at creation), as updateCampaignFields takes them. */
function changedFields(change: CampaignChange): Parameters<typeof updateCampaignFields>[2] {
  if (change.name !== undefined && (change.name.trim() === '' || change.name.length > 255)) {
    throw new InputError('name: 1 to 255 characters')
  }
  if (change.description !== undefined && change.description !== null && change.description.length > 2000) {
    throw new InputError('description: at most 2000 characters')
  }
  // Date.parse alone took "2031-02-30T00:00:00Z" as March 2 and "2031-01-05" or "January 5, 2031" in the
  // server's time zone.
  if (
    typeof change.deadline === 'string' &&
    !campaignSpecSchema.shape.deadline.safeParse(change.deadline).success
  ) {
    throw new InputError(
      `deadline: "${change.deadline}" is not an ISO 8601 date-time with its offset (2027-03-31T17:00:00Z)`,
    )
  }
  return {
    ...(change.name !== undefined ? { name: change.name.trim() } : {}),
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.deadline !== undefined
      ? { deadline: change.deadline === null ? null : new Date(change.deadline).toISOString() }
      : {}),
  }
}

/**
 * A new deadline is in the future; an ACTIVE campaign's only moves later (its reviewers plan by it). One
 * without a deadline may be given one: that is the only way to bound a review nobody finishes, and the
 * reviewers are told.
 */
function checkDeadline(campaign: Campaign, deadline: string | null, now: Date): void {
  const at = deadline === null ? null : Date.parse(deadline)
  if (at !== null && at <= now.getTime()) throw new InputError(`deadline: ${deadline} is in the past`)
  if (campaign.status !== 'ACTIVE') return
  const before = campaign.deadline === null ? null : Date.parse(campaign.deadline)
  if (at === null || (before !== null && at < before)) {
    throw new InputError("deadline: an ACTIVE campaign's deadline can only move later")
  }
}

/**
 * Deletes campaigns with their certifications and items: STAGED, COMPLETED or ERROR ones, never an ACTIVE
 * or COMPLETING one (its reviewers are working on it, or its revocations are being carried out). All or
 * none. CERT_ADMIN or ORG_ADMIN.
 */
export async function deleteCampaignsById(
  ctx: EngineContext,
  actor: CampaignActor,
  ids: readonly string[],
): Promise<number> {
  requireCampaignAdmin(actor, 'deleting campaigns')
  if (ids.length === 0) throw new InputError('ids: name at least one campaign')
  const now = ctx.now()
  const unique = [...new Set(ids)]
  // Read and checked with the rows locked: an activation between a check and the delete would have its
  // campaign, reviewers told, deleted under it. A campaign that cannot go now refuses them all.
  await ctx.db.transaction(async (tx) => {
    const campaigns = new Map((await lockCampaigns(tx, unique)).map((c) => [c.id, c]))
    for (const id of unique) {
      const campaign = campaigns.get(id)
      if (!campaign) throw new NotFoundError(`no campaign with id "${id}"`)
      campaignMove(campaign, 'delete', now)
    }
    await deleteCampaigns(tx, unique)
  })
  return unique.length
}
