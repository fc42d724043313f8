import {
  campaignMove,
  checkEarlyCompletion,
  type Campaign,
  type Decision,
} from '../../domain/certifications/campaign.js'
import { ConflictError } from '../../domain/errors.js'
import { decideRemaining } from '../../store/certification-items.js'
import { listCertifications, signCertification } from '../../store/certifications.js'
import { moveCampaign } from '../../store/campaigns.js'
import type { EngineContext } from '../engine-context.js'
import { campaignById } from './activate-campaign.js'
import { actorName, requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import type { RemediationCounts } from './remediate-items.js'
import { remediateSignedOff } from './remediate-signed-off.js'
import { settleRemediation } from './settle-remediation.js'

export interface Completion {
  readonly campaign: Campaign
  /** Items decided by the completion (those the reviewers left). */
  readonly decided: number
  /** Certifications signed off by the completion. */
  readonly signed: number
  readonly remediation: RemediationCounts
}

/**
 * Completes an active campaign: once every reviewer signed off it completes by itself; before, only once
 * it is past due, and then every item left undecided gets `decision` (APPROVE by default, as the reference;
 * REVOKE only where the item is revocable, else APPROVE), every open certification is signed off in the
 * campaign's name and remediation runs as at any sign-off that waits for it. `actor` null: the campaign timer (a campaign's
 * `autoCompleteAction`). CERT_ADMIN or ORG_ADMIN.
 */
export async function completeCampaign(
  ctx: EngineContext,
  actor: CampaignActor | null,
  id: string,
  decision: Decision = 'APPROVE',
): Promise<Completion> {
  if (actor !== null) requireCampaignAdmin(actor, 'completing a campaign')
  const campaign = await campaignById(ctx, id)
  const now = ctx.now()
  campaignMove(campaign, 'complete', now)
  const open = await listCertifications(ctx.db, { campaignIds: [id], signed: false })
  if (open.length > 0) checkEarlyCompletion(campaign, now)
  const by = actor !== null ? actorName(actor) : 'campaign'
  const comment = `decided ${decision} when the campaign was completed past its deadline (${campaign.deadline ?? ''})`
  let ids: string[] = []
  let decided = 0
  await ctx.db.transaction(async (tx) => {
    // The campaign moves first, then its open certifications are read: a reassignment that made a new
    // certification after the read above (it holds the campaign ACTIVE while it writes) is signed off with
    // the rest, instead of being left open in a campaign that takes no decision any more.
    if (
      !(await moveCampaign(tx, id, 'ACTIVE', 'COMPLETING', now, {
        signedOff: true,
        autoCompletedWith: decision,
      }))
    ) {
      throw new ConflictError(`campaign "${campaign.name}" was changed meanwhile: read it again`)
    }
    ids = (await listCertifications(tx, { campaignIds: [id], signed: false })).map((c) => c.id)
    if (ids.length > 0) checkEarlyCompletion(campaign, now)
    decided = await decideRemaining(tx, ids, decision, comment, now)
    for (const c of ids) await signCertification(tx, c, by, now)
  })
  // The certifications it signed, with any queued before, remediated in one pass.
  const { counts } = await remediateSignedOff(ctx, { campaignIds: [id], signedNow: ids })
  await settleRemediation(ctx, id)
  return { campaign: await campaignById(ctx, id), decided, signed: ids.length, remediation: counts }
}
