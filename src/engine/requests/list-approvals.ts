import { ForbiddenError, InputError } from '../../domain/errors.js'
import type { Approval, WorkItemEvent } from '../../domain/requests/approval.js'
import { countApprovals, listApprovals, type ApprovalFilter } from '../../store/approvals.js'
import { listRequestItems } from '../../store/access-requests.js'
import { findIdentity } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { pageOf, resultOf, type QueryResult } from '../queries/query.js'
import { isOrgAdmin, type RequestActor } from './access-request-actor.js'
import { groupsOfMember } from './governance-group-members.js'
import { statusesOf, type RequestStatus } from './request-status.js'

export interface ApprovalRow {
  readonly status: RequestStatus
  readonly approval: Approval & { readonly reassignments: readonly WorkItemEvent[] }
}

/**
 * Approvals of one owner: pending ones assigned to them or to a governance group they are in; completed
 * ones they decided. A person sees their own; an ORG_ADMIN anyone's (`ownerId`) or, without it, everyone's.
 */
export async function listOwnApprovals(
  ctx: EngineContext,
  actor: RequestActor,
  query: { completed: boolean; ownerId?: string; limit?: number; offset?: number; count?: boolean },
): Promise<QueryResult<ApprovalRow>> {
  const filter = await ownerFilter(ctx, actor, query.ownerId, query.completed)
  const page = pageOf({ ...query, sorters: ['-created'] }, ['created'])
  const approvals = await listApprovals(ctx.db, filter, page)
  const items = await listRequestItems(ctx.db, { ids: [...new Set(approvals.map((a) => a.requestItemId))] })
  const statuses = new Map((await statusesOf(ctx, items)).map((s) => [s.item.id, s]))
  const rows = approvals.flatMap((a) => {
    const status = statuses.get(a.requestItemId)
    const full = status?.approvals.find((x) => x.id === a.id)
    return status && full ? [{ status, approval: full }] : []
  })
  return resultOf(query, rows, () => countApprovals(ctx.db, filter))
}

/** Counts of the owner's approvals: pending, approved and rejected (`approval-summary`). */
export async function approvalSummary(
  ctx: EngineContext,
  actor: RequestActor,
  ownerId?: string,
): Promise<{ pending: number; approved: number; rejected: number }> {
  const pending = await ownerFilter(ctx, actor, ownerId, false)
  const done = await ownerFilter(ctx, actor, ownerId, true)
  return {
    pending: await countApprovals(ctx.db, pending),
    approved: await countApprovals(ctx.db, { ...done, statuses: ['APPROVED'] }),
    rejected: await countApprovals(ctx.db, { ...done, statuses: ['REJECTED'] }),
  }
}

async function ownerFilter(
  ctx: EngineContext,
  actor: RequestActor,
  ownerId: string | undefined,
  completed: boolean,
): Promise<ApprovalFilter> {
  const statuses = completed ? (['APPROVED', 'REJECTED'] as const) : (['PENDING'] as const)
  let who = actor.identityId
  if (ownerId !== undefined) {
    const owner = await findIdentity(ctx.db, ownerId)
    if (!owner) throw new InputError(`owner-id: no identity "${ownerId}"`)
    if (owner.id !== actor.identityId && !isOrgAdmin(actor)) {
      throw new ForbiddenError("another owner's approvals need ORG_ADMIN")
    }
    who = owner.id
  } else if (isOrgAdmin(actor) && actor.identityId === null) {
    return { statuses: [...statuses] }
  }
  if (who === null) {
    throw new ForbiddenError('an API client without an identity has no approvals: name owner-id')
  }
  if (completed) return { statuses: [...statuses], decidedBy: who }
  const me = await findIdentity(ctx.db, who)
  return { statuses: [...statuses], owners: [who], groups: me ? groupsOfMember(ctx, me) : [] }
}
