import { ConflictError } from '../../domain/errors.js'
import type { EngineContext } from '../engine-context.js'
import { campaignById } from './activate-campaign.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { remediateSignedOff } from './remediate-signed-off.js'
import { settleRemediation } from './settle-remediation.js'

/** What a remediation scan found: items remediated again, and items still waiting for their activities. */
export interface RemediationScan {
  readonly remediatedAgain: number
  readonly pending: number
}

/**
 * An administrator's remediation scan (the reference's `run-remediation-scan`): now rather than at the
 * timer's next minute, certifications queued for remediation are remediated (signed off without waiting,
 * or whose remediation could not start), and pending items take their activities'
 * outcome — DONE, FAILED with the connector's message, or still PENDING — completing the campaign when
 * none is left.
 */
export async function scanCampaignRemediation(
  ctx: EngineContext,
  actor: CampaignActor,
  campaignId: string,
): Promise<RemediationScan> {
  requireCampaignAdmin(actor, 'a remediation scan')
  const campaign = await campaignById(ctx, campaignId)
  if (campaign.status === 'PENDING' || campaign.status === 'STAGED') {
    throw new ConflictError(
      `campaign "${campaign.name}" is ${campaign.status}: nothing is signed off to remediate`,
    )
  }
  const remediatedAgain = (await remediateSignedOff(ctx, { campaignIds: [campaign.id] })).items
  const pending = await settleRemediation(ctx, campaign.id)
  return { remediatedAgain, pending }
}
