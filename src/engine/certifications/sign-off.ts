import type { Campaign } from '../../domain/certifications/campaign.js'
import { ConflictError, InputError } from '../../domain/errors.js'
import { countCertificationItems, listCertificationItems } from '../../store/certification-items.js'
import { hasOpenCertifications, signCertification, type Certification } from '../../store/certifications.js'
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
  // The counts read with the certification; the sign-off itself is guarded in the store as well.
  if (cert.itemsDecided < cert.itemsTotal) throw undecided(id, cert.itemsTotal - cert.itemsDecided)
  const now = ctx.now()
  if (!(await signCertification(ctx.db, id, actorName(actor), now))) {
    const left = await countCertificationItems(ctx.db, { certificationIds: [id], decided: false })
    if (left > 0) throw undecided(id, left)
    throw new ConflictError(`certification ${id} was signed off meanwhile`)
  }
  const remediation = await remediateCertifications(ctx, campaign, [id])
  // Signing changes nothing else the certification shows: every item was decided, and stays so.
  const signed = { ...cert, signed: now.toISOString(), modified: now.toISOString() }
  return { cert: signed, remediation }
}

function undecided(id: string, n: number): InputError {
  return new InputError(
    `certification ${id} has ${n} items without a decision: decide them before signing off`,
  )
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
  // Once every certification is signed, the campaign's remediations are followed (what was provisioned since
  // earlier sign-offs is seen at once; serve's timer follows the rest every minute). An earlier sign-off's
  // own activities were written just now and cannot have run yet: following them is the timer's.
  if (last) await settleRemediation(ctx, campaign.id)
  return remediation
}
