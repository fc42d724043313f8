import type { Campaign } from '../../domain/certifications/campaign.js'
import { ConflictError, InputError } from '../../domain/errors.js'
import { countCertificationItems, listCertificationItems } from '../../store/certification-items.js'
import {
  hasOpenCertifications,
  listCertifications,
  signCertification,
  type Certification,
} from '../../store/certifications.js'
import { moveCampaign } from '../../store/campaigns.js'
import type { EngineContext } from '../engine-context.js'
import { actorName, type CampaignActor } from './campaign-actor.js'
import { openCertificationFor, requireReviewer } from './certification-access.js'
import { remediateCampaignItems } from './remediate-campaign-items.js'
import type { RemediationCounts } from './remediate-items.js'
import { settleRemediation } from './settle-remediation.js'

/**
 * Signs a certification off: its decisions become final and its revocations are remediated at once
 * (remediateCampaignItems). Every item must be decided first. When it is the campaign's last, the campaign moves
 * to COMPLETING, and to COMPLETED once its remediations have finished.
 */
export async function signOffCertification(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<{ cert: Certification; remediation: RemediationCounts }> {
  const { cert, campaign } = await openCertificationFor(ctx, actor, id)
  requireReviewer(actor, cert)
  const undecided = await countCertificationItems(ctx.db, { certificationIds: [id], decided: false })
  if (undecided > 0) {
    throw new InputError(
      `certification ${id} has ${undecided} items without a decision: decide them before signing off`,
    )
  }
  if (!(await signCertification(ctx.db, id, actorName(actor), ctx.now()))) {
    throw new ConflictError(`certification ${id} was signed off meanwhile`)
  }
  const remediation = await remediateCertifications(ctx, campaign, [id])
  const [signed] = await listCertifications(ctx.db, { ids: [id] })
  return { cert: signed as Certification, remediation }
}

/**
 * Remediates signed-off certifications' items, then moves the campaign on when every certification is
 * signed: ACTIVE → COMPLETING → COMPLETED (the last once nothing is left pending).
 */
export async function remediateCertifications(
  ctx: EngineContext,
  campaign: Campaign,
  certificationIds: readonly string[],
): Promise<RemediationCounts> {
  const items = await listCertificationItems(ctx.db, { certificationIds, decided: true })
  const remediation = await remediateCampaignItems(
    ctx,
    campaign,
    items.filter((i) => i.remediation === null),
  )
  // Whether any is left, not how many: listing or counting them all costs the whole campaign at each sign-off.
  const last = !(await hasOpenCertifications(ctx.db, campaign.id))
  if (last && campaign.status === 'ACTIVE') {
    await moveCampaign(ctx.db, campaign.id, 'ACTIVE', 'COMPLETING', ctx.now(), { signedOff: true })
  }
  // Each sign-off follows its own items; the last one (the campaign completing) follows everyone's, so what
  // was provisioned since earlier sign-offs is seen at once (serve's timer follows the rest every minute).
  await settleRemediation(ctx, campaign.id, last ? undefined : certificationIds)
  return remediation
}
