import { ConflictError, InputError, NotFoundError } from '../../domain/errors.js'
import { newId } from '../../domain/new-id.js'
import { textEquals, type CheckedFilter } from '../../domain/query/check-filters.js'
import {
  insertCertificationTask,
  listCertificationTasks,
  type CertificationTask,
  type CertificationTaskField,
  type TaskReassignment,
} from '../../store/certification-tasks.js'
import { listCertifications } from '../../store/certifications.js'
import { findIdentity } from '../../store/identities.js'
import type { Page } from '../../store/paging.js'
import type { EngineContext } from '../engine-context.js'
import { campaignById } from './activate-campaign.js'
import { actorName, isCampaignAdmin, requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { reassignCertificationTo, type Reassignment } from './reassign-certification.js'

export type { CertificationTask }

/** The reference's limit on an administrator's reassignment: 250 certifications a call. */
export const MAX_REASSIGNED_CERTIFICATIONS = 250

/**
 * An administrator gives whole certifications of an active campaign to another reviewer, with a reason
 * (the reference's "move"). What is asked is checked first, all or nothing: the certifications are the
 * campaign's, the new reviewer exists and reviews none of them already, a reason is given. Each
 * certification is then reassigned on its own; one that cannot be (signed off meanwhile, or the new
 * reviewer is among its identities: nobody reviews their own access) is recorded as the task's error and
 * the others still move. The task is kept.
 */
export async function reassignCampaignCertifications(
  ctx: EngineContext,
  actor: CampaignActor,
  campaignId: string,
  input: { readonly certificationIds: readonly string[]; readonly to: string; readonly reason: string },
): Promise<CertificationTask> {
  requireCampaignAdmin(actor, 'reassigning a campaign’s certifications')
  const campaign = await campaignById(ctx, campaignId)
  if (campaign.status !== 'ACTIVE') {
    throw new ConflictError(
      `campaign "${campaign.name}" is ${campaign.status}: certifications move while it is ACTIVE`,
    )
  }
  const ids = [...new Set(input.certificationIds)]
  if (ids.length === 0) throw new InputError('certificationIds: name at least one certification')
  if (ids.length > MAX_REASSIGNED_CERTIFICATIONS) {
    throw new InputError(
      `certificationIds: at most ${MAX_REASSIGNED_CERTIFICATIONS} a call, not ${ids.length}`,
    )
  }
  if (input.reason.trim() === '') throw new InputError('reason: a reassignment says why')
  const target = await findIdentity(ctx.db, input.to)
  if (!target) throw new InputError(`reassignTo.id: no identity "${input.to}"`)
  const certs = await listCertifications(ctx.db, { ids, campaignIds: [campaign.id] })
  const missing = ids.filter((id) => !certs.some((c) => c.id === id))
  if (missing.length > 0) {
    throw new InputError(
      `certificationIds: no certification ${missing.join(', ')} in campaign "${campaign.name}"`,
    )
  }
  // As a certification's own reassignment refuses it: a move that changes nothing is a mistake in the
  // request, not a task that succeeded with nothing moved.
  const theirs = certs.filter((c) => c.reviewerId === target.id).map((c) => c.id)
  if (theirs.length > 0) {
    throw new InputError(`reassignTo.id: ${target.name} reviews ${theirs.join(', ')} already`)
  }

  const reassignments: TaskReassignment[] = []
  const errors: string[] = []
  for (const cert of certs) {
    try {
      await reassignCertificationTo(ctx, actor, cert.id, { to: target.id, reason: input.reason })
      reassignments.push({
        previousOwner: cert.reviewerId,
        newOwner: target.id,
        reassignmentType: 'ADMIN_REASSIGN',
      })
    } catch (e) {
      if (!(e instanceof InputError || e instanceof ConflictError)) throw e
      errors.push(`certification ${cert.id}: ${e.message}`)
    }
  }
  return recordTask(ctx, actor, {
    type: 'ADMIN_REASSIGN',
    targetType: 'CAMPAIGN',
    targetId: campaign.id,
    errors,
    reassignments,
  })
}

/**
 * A reviewer's (or an administrator's) reassignment answered as a task, as the reference's asynchronous
 * form: Provisio does it at once, so the task is done when it is answered, and is kept to be read by id.
 */
export async function reassignAsTask(
  ctx: EngineContext,
  actor: CampaignActor,
  certificationId: string,
  input: Reassignment,
): Promise<CertificationTask> {
  const [before] = await listCertifications(ctx.db, { ids: [certificationId] })
  const { to } = await reassignCertificationTo(ctx, actor, certificationId, input)
  return recordTask(ctx, actor, {
    type: 'REASSIGN',
    targetType: 'CERTIFICATION',
    targetId: certificationId,
    errors: [],
    reassignments: [
      {
        previousOwner: before?.reviewerId ?? '',
        newOwner: to.reviewerId,
        reassignmentType: 'REASSIGN',
      },
    ],
  })
}

async function recordTask(
  ctx: EngineContext,
  actor: CampaignActor,
  t: Pick<CertificationTask, 'type' | 'targetType' | 'targetId' | 'errors' | 'reassignments'>,
): Promise<CertificationTask> {
  const task: CertificationTask = {
    ...t,
    id: newId(),
    launcher: actorName(actor),
    status: t.errors.length > 0 ? 'ERROR' : 'SUCCESS',
    created: ctx.now().toISOString(),
  }
  await insertCertificationTask(ctx.db, task)
  return task
}

/** One task: for whoever asked it, or a campaign administrator. */
export async function certificationTask(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<CertificationTask> {
  const { rows } = await listCertificationTasks(ctx.db, { expression: textEquals('id', id) })
  const [task] = rows
  if (!task || (!isCampaignAdmin(actor) && task.launcher !== actorName(actor))) {
    throw new NotFoundError(`no certification task with id "${id}"`)
  }
  return task
}

/**
 * Tasks awaiting processing (QUEUED or IN_PROGRESS): a person's own, an administrator's every one or a
 * reviewer's. Provisio finishes a task before answering, so this is empty but for the reference's clients.
 */
export async function pendingCertificationTasks(
  ctx: EngineContext,
  actor: CampaignActor,
  reviewer: string | undefined,
  expression?: CheckedFilter<CertificationTaskField>,
  page?: Page,
): Promise<{ rows: CertificationTask[]; total: number }> {
  const own = reviewer === 'me' || (reviewer === undefined && actor.identityId !== null)
  if (!own && !isCampaignAdmin(actor) && reviewer !== actor.identityId) {
    requireCampaignAdmin(actor, 'another reviewer’s certification tasks')
  }
  const launcher = own ? actorName(actor) : reviewer
  return listCertificationTasks(
    ctx.db,
    {
      statuses: ['QUEUED', 'IN_PROGRESS'],
      ...(launcher !== undefined ? { launcher } : {}),
      ...(expression !== undefined ? { expression } : {}),
    },
    page,
  )
}
