import { checkDecisions, type ItemDecision } from '../../domain/certifications/certification-item.js'
import { ConflictError, InputError } from '../../domain/errors.js'
import { listCertificationItems, recordDecisions } from '../../store/certification-items.js'
import type { Certification } from '../../store/certifications.js'
import type { EngineContext } from '../engine-context.js'
import { actorName, type CampaignActor } from './campaign-actor.js'
import { openCertificationFor, requireReviewer } from './certification-access.js'

/** Decisions per call, as the reference's `/certifications/{id}/decide` takes them. */
export const MAX_DECISIONS = 250

/**
 * Records a reviewer's decisions on items of their certification, all or none: each is checked (the item
 * is in this certification, acknowledge-only access is not revoked, comments as the campaign requires, a
 * proposed end date only with REVOKE of given access). A decision replaces the item's earlier one, until
 * sign-off.
 */
export async function decideItems(
  ctx: EngineContext,
  actor: CampaignActor,
  certificationId: string,
  decisions: readonly ItemDecision[],
): Promise<Certification> {
  if (decisions.length === 0) throw new InputError('no decisions given')
  if (decisions.length > MAX_DECISIONS) {
    throw new InputError(`at most ${MAX_DECISIONS} decisions per call, not ${decisions.length}`)
  }
  const { cert, campaign } = await openCertificationFor(ctx, actor, certificationId)
  requireReviewer(actor, cert)
  const items = await listCertificationItems(ctx.db, {
    certificationIds: [cert.id],
    ids: decisions.map((d) => d.id),
  })
  const byId = new Map(items.map((i) => [i.id, i]))
  const now = ctx.now()
  checkDecisions(byId, decisions, campaign.spec, now)
  const problems = decisions.flatMap((d) => {
    const item = byId.get(d.id)
    return d.proposedEndDate && item && item.assignmentIds.length === 0
      ? [
          `item ${d.id} ("${item.itemName}"): a proposed end date needs access that was given (an assignment); this is removed at sign-off`,
        ]
      : []
  })
  if (problems.length > 0) throw new InputError(problems.join('; '))
  // Checked above, written only if still so: a sign-off or a reassignment between the checks and the write
  // leaves nothing written (all or none), rather than a decision changed on a certification already final.
  await ctx.db.transaction(async (tx) => {
    const recorded = await recordDecisions(tx, cert.id, decisions, actorName(actor), now)
    if (recorded !== decisions.length) {
      throw new ConflictError(
        `certification ${cert.id} was signed off or some of its items reassigned meanwhile: nothing was decided; read it again`,
      )
    }
  })
  return (await openCertificationFor(ctx, actor, certificationId)).cert
}
