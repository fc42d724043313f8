import { campaignMove, campaignSpecSchema, type Campaign } from '../../domain/certifications/campaign.js'
import { ConflictError, InputError } from '../../domain/errors.js'
import { deleteCampaigns, lockCampaigns, updateCampaignFields } from '../../store/campaigns.js'
import type { EngineContext } from '../engine-context.js'
import { campaignById } from './activate-campaign.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'

/** What PATCH /v3/campaigns/{id} may change. */
export interface CampaignChange {
  readonly name?: string
  readonly description?: string | null
  readonly deadline?: string | null
}

/**
 * Changes a campaign's name and description (STAGED or ACTIVE) or its deadline (STAGED; ACTIVE only to a
 * later one, as the reference): never after it completes. CERT_ADMIN or ORG_ADMIN.
 */
export async function changeCampaign(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
  change: CampaignChange,
): Promise<Campaign> {
  requireCampaignAdmin(actor, 'changing a campaign')
  const campaign = await campaignById(ctx, id)
  if (campaign.status !== 'STAGED' && campaign.status !== 'ACTIVE') {
    throw new ConflictError(
      `campaign "${campaign.name}" is ${campaign.status}: only a STAGED or ACTIVE campaign changes`,
    )
  }
  if (change.name !== undefined && (change.name.trim() === '' || change.name.length > 255)) {
    throw new InputError('name: 1 to 255 characters')
  }
  if (change.description !== undefined && change.description !== null && change.description.length > 2000) {
    throw new InputError('description: at most 2000 characters')
  }
  if (change.deadline !== undefined) {
    // Read as at creation: Date.parse alone took "2031-02-30T00:00:00Z" as March 2 and "2031-01-05" or
    // "January 5, 2031" in the server's time zone.
    if (change.deadline !== null && !campaignSpecSchema.shape.deadline.safeParse(change.deadline).success) {
      throw new InputError(
        `deadline: "${change.deadline}" is not an ISO 8601 date-time with its offset (2027-03-31T17:00:00Z)`,
      )
    }
    const at = change.deadline === null ? null : Date.parse(change.deadline)
    if (at !== null && at <= ctx.now().getTime()) {
      throw new InputError(`deadline: ${String(change.deadline)} is in the past`)
    }
    if (campaign.status === 'ACTIVE') {
      const before = campaign.deadline === null ? null : Date.parse(campaign.deadline)
      if (at === null || (before !== null && at < before)) {
        throw new InputError("deadline: an ACTIVE campaign's deadline can only move later")
      }
    }
  }
  const fields = {
    ...(change.name !== undefined ? { name: change.name.trim() } : {}),
    ...(change.description !== undefined ? { description: change.description } : {}),
    ...(change.deadline !== undefined
      ? { deadline: change.deadline === null ? null : new Date(change.deadline).toISOString() }
      : {}),
  }
  await updateCampaignFields(ctx.db, id, fields, ctx.now())
  return campaignById(ctx, id)
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
      if (!campaign) throw new InputError(`no campaign with id "${id}"`)
      campaignMove(campaign, 'delete', now)
    }
    await deleteCampaigns(tx, unique)
  })
  return unique.length
}
