import { ConflictError, InputError } from '../../domain/errors.js'
import { countCertificationItems, remediationCounts } from '../../store/certification-items.js'
import { signCertification, type Certification } from '../../store/certifications.js'
import { moveCampaign } from '../../store/campaigns.js'
import type { EngineContext } from '../engine-context.js'
import { actorName, type CampaignActor } from './campaign-actor.js'
import { openCertificationFor, requireReviewer } from './certification-access.js'
import type { RemediationCounts } from './remediate-items.js'
import { remediateSignedOff } from './remediate-signed-off.js'
import { settleRemediation } from './settle-remediation.js'

export interface SignOff {
  readonly cert: Certification
  /** The certification's items by remediation outcome; empty when the sign-off did not wait for it. */
  readonly remediation: RemediationCounts
  /** Queued for the remediation job (`wait: false`), not remediated yet. */
  readonly queued: boolean
}

/**
 * Signs a certification off: its decisions become final and it is queued for remediation, in one
 * statement (a crash after it loses nothing: the queue is in the store). Every item must be decided
 * first. When it is the campaign's last, the campaign moves to COMPLETING, and to COMPLETED once its
 * remediations have finished. Unless `wait` is false, the remediation job then runs for the campaign —
 * this certification and any other queued with it — and the outcome of this one's items is returned;
 * otherwise the job's next run (serve's, within a minute) carries it out.
 */
export async function signOffCertification(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
  options: { wait?: boolean } = {},
): Promise<SignOff> {
  const { cert, campaign } = await openCertificationFor(ctx, actor, id)
  requireReviewer(actor, cert)
  // The counts read with the certification; the sign-off itself is guarded in the store as well.
  if (cert.itemsDecided < cert.itemsTotal) throw undecided(id, cert.itemsTotal - cert.itemsDecided)
  const now = ctx.now()
  const signedOff = await signCertification(ctx.db, id, actorName(actor), now)
  if (!signedOff) {
    const left = await countCertificationItems(ctx.db, { certificationIds: [id], decided: false })
    if (left > 0) throw undecided(id, left)
    throw new ConflictError(`certification ${id} was signed off meanwhile`)
  }
  const last = !signedOff.othersOpen
  if (last && campaign.status === 'ACTIVE') {
    await moveCampaign(ctx.db, campaign.id, 'ACTIVE', 'COMPLETING', now, { signedOff: true })
  }
  // Signing changes nothing else the certification shows: every item was decided, and stays so.
  const signed = { ...cert, signed: now.toISOString(), modified: now.toISOString() }
  if (options.wait === false) return { cert: signed, remediation: {}, queued: true }
  await remediateSignedOff(ctx, { campaignIds: [campaign.id], signedNow: [id] })
  const remediation = (await remediationCounts(ctx.db, { certificationId: id })) as RemediationCounts
  // Once every certification is signed, the campaign's remediations are followed (what was provisioned since
  // earlier sign-offs is seen at once; serve's timer follows the rest every minute). An earlier sign-off's
  // own activities were written just now and cannot have run yet: following them is the timer's.
  if (last) await settleRemediation(ctx, campaign.id)
  return { cert: signed, remediation, queued: false }
}

function undecided(id: string, n: number): InputError {
  return new InputError(
    `certification ${id} has ${n} items without a decision: decide them before signing off`,
  )
}
