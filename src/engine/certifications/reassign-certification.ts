import { ConflictError, InputError } from '../../domain/errors.js'
import {
  countCertificationItems,
  listCertificationItems,
  moveCertificationItems,
} from '../../store/certification-items.js'
import {
  insertCertifications,
  listCertifications,
  lockOpenCertification,
  reassignCertification,
  type Certification,
} from '../../store/certifications.js'
import { insertWorkItemEvents } from '../../store/approvals.js'
import { holdCampaign } from '../../store/campaigns.js'
import { findIdentity } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { notify } from '../requests/request-notifications.js'
import { actorName, type CampaignActor } from './campaign-actor.js'
import { certificationMessage } from './campaign-notifications.js'
import { openCertificationFor, requireReviewer } from './certification-access.js'

export interface Reassignment {
  /** The new reviewer: an identity id or name. */
  readonly to: string
  /** Why: required, recorded on the certification's history and told to the new reviewer. */
  readonly reason: string
  /** Only these items (absent, with identityIds absent too: the whole certification). */
  readonly itemIds?: readonly string[]
  /** Only these identities' items. */
  readonly identityIds?: readonly string[]
}

/**
 * Gives a certification, or some of its items or identities, to another reviewer, with a reason. The whole
 * certification changes owner; a part moves (with its decisions so far) to the new reviewer's open
 * certification in the campaign, made if they have none. Nobody gets their own access to review. The
 * reviewer or a campaign administrator, while the campaign is ACTIVE and the certification not signed.
 */
export async function reassignCertificationTo(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
  input: Reassignment,
): Promise<{ from: Certification; to: Certification; items: number }> {
  const { cert, campaign } = await openCertificationFor(ctx, actor, id)
  requireReviewer(actor, cert)
  const reason = input.reason.trim()
  if (reason === '') throw new InputError('reason: a reassignment says why')
  const target = await findIdentity(ctx.db, input.to)
  if (!target) throw new InputError(`reassignTo: no identity "${input.to}"`)
  if (target.id === cert.reviewerId) throw new InputError(`reassignTo: ${target.name} reviews it already`)
  const now = ctx.now()
  const by = actorName(actor)
  const whole = input.itemIds === undefined && input.identityIds === undefined

  let itemIds: string[] = []
  if (!whole) {
    const byItem = input.itemIds?.length
      ? await listCertificationItems(ctx.db, { certificationIds: [id], ids: input.itemIds })
      : []
    const missing = (input.itemIds ?? []).filter((i) => !byItem.some((x) => x.id === i))
    if (missing.length > 0) {
      throw new InputError(`reassign: no item ${missing.join(', ')} in this certification`)
    }
    const byIdentity = input.identityIds?.length
      ? await listCertificationItems(ctx.db, { certificationIds: [id], identityIds: input.identityIds })
      : []
    const absent = (input.identityIds ?? []).filter((i) => !byIdentity.some((x) => x.identityId === i))
    if (absent.length > 0) {
      throw new InputError(`reassign: no identity ${absent.join(', ')} in this certification`)
    }
    const items = [...byItem, ...byIdentity]
    if (items.length === 0) throw new InputError('reassign: name the items or identities to reassign')
    if (items.some((i) => i.identityId === target.id)) {
      throw new InputError(`reassignTo: ${target.name} cannot review their own access`)
    }
    itemIds = [...new Set(items.map((i) => i.id))]
  } else if (
    (await countCertificationItems(ctx.db, { certificationIds: [id], identityIds: [target.id] })) > 0
  ) {
    throw new InputError(
      `reassignTo: ${target.name}'s own access is in this certification, and nobody reviews their own access: reassign the other identities' items instead`,
    )
  }

  let toId = id
  // Checked above, written only if still so: a sign-off between the checks and the write would otherwise
  // see its items moved out after it, or its reviewer changed after the decisions were final.
  const meanwhile = (): ConflictError =>
    new ConflictError(
      `certification ${id} was signed off or changed meanwhile: nothing was reassigned; read it again`,
    )
  await ctx.db.transaction(async (tx) => {
    // The campaign first, then the certification, in the order a completion takes them (no deadlock): a
    // completion waits for this and reads the certification made here; one that came first refuses it.
    if (!(await holdCampaign(tx, campaign.id, 'ACTIVE'))) throw meanwhile()
    if (!(await lockOpenCertification(tx, id))) throw meanwhile()
    if (whole) {
      if (!(await reassignCertification(tx, id, target.id, reason, by, now))) throw meanwhile()
      return
    }
    const [mine] = await listCertifications(tx, {
      campaignIds: [campaign.id],
      reviewerIds: [target.id],
      signed: false,
    })
    toId =
      mine?.id ??
      ((
        await insertCertifications(
          tx,
          campaign.id,
          [{ reviewerId: target.id, name: `${campaign.name}: ${target.name}` }],
          now,
        )
      )[0] as string)
    if ((await moveCertificationItems(tx, itemIds, id, toId)) !== itemIds.length) throw meanwhile()
    await insertWorkItemEvents(tx, [
      {
        workItemId: id,
        at: now.toISOString(),
        actor: by,
        action: 'REASSIGNED',
        fromOwner: cert.reviewerId,
        toOwner: target.id,
        comment: `${itemIds.length} items to ${toId}: ${reason}`,
      },
    ])
  })
  const [from, to] = await Promise.all(
    [id, toId].map(async (c) => (await listCertifications(ctx.db, { ids: [c] }))[0] as Certification),
  )
  if (campaign.spec.emailNotificationEnabled !== false) {
    await notify(ctx, ctx.db, [
      certificationMessage('CERTIFICATION_REASSIGNED', campaign, to as Certification, {
        previousReviewer: cert.reviewerId,
        reason,
        itemCount: whole ? (to as Certification).itemsTotal : itemIds.length,
      }),
    ])
  }
  return {
    from: from as Certification,
    to: to as Certification,
    items: whole ? cert.itemsTotal : itemIds.length,
  }
}
