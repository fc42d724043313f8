import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../domain/errors.js'
import type { Identity } from '../../domain/model.js'
import { decide } from '../../domain/requests/approval-chain.js'
import type { Approval } from '../../domain/requests/approval.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import { changeRequestItem, findRequestItem, listRequestItems } from '../../store/access-requests.js'
import { closeApproval, insertWorkItemEvent, listApprovals, reassignApproval } from '../../store/approvals.js'
import { findIdentity } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { isOrgAdmin, type RequestActor } from './access-request-actor.js'
import { approversOf, continueChain } from './approval-steps.js'
import { groupsOfMember } from './governance-group-members.js'
import { provisionApprovedItem } from './provision-approved.js'
import { notify, requestMessage, requestParties } from './request-notifications.js'
import { requestedItem } from './requested-item.js'
import { tenantRequestConfig } from './tenant-request-config.js'

/** An approval with the request item it decides. */
export interface ApprovalWithItem {
  readonly approval: Approval
  readonly item: RequestItem
}

async function approvalById(ctx: EngineContext, id: string): Promise<ApprovalWithItem> {
  const [approval] = await listApprovals(ctx.db, { ids: [id] })
  const item = approval && (await findRequestItem(ctx.db, approval.requestItemId))
  if (!approval || !item) throw new NotFoundError(`no approval with id "${id}"`)
  return { approval, item }
}

/** Whether the actor may decide the approval: its approver, or a member of the governance group holding it. */
export async function mayDecide(
  ctx: EngineContext,
  actor: RequestActor,
  approval: Approval,
): Promise<boolean> {
  if (actor.identityId === null) return false
  if (approval.owner !== null) return approval.owner === actor.identityId
  const me = await findIdentity(ctx.db, actor.identityId)
  return (
    me !== undefined && approval.ownerGroup !== null && groupsOfMember(ctx, me).includes(approval.ownerGroup)
  )
}

async function pendingFor(ctx: EngineContext, actor: RequestActor, id: string): Promise<ApprovalWithItem> {
  const found = await approvalById(ctx, id)
  if (!(await mayDecide(ctx, actor, found.approval))) {
    throw new ForbiddenError(`approval ${id} is not yours to decide`)
  }
  if (found.approval.status !== 'PENDING') {
    throw new ConflictError(`approval ${id} is already ${found.approval.status.toLowerCase()}`)
  }
  return found
}

/** Approves a step: the chain moves on; after the last step the access is provisioned. */
export async function approveApproval(
  ctx: EngineContext,
  actor: RequestActor,
  id: string,
  comment: string | null,
): Promise<ApprovalWithItem> {
  const { approval, item } = await pendingFor(ctx, actor, id)
  const now = ctx.now()
  const auto = tenantRequestConfig(ctx).autoApprovalEnabled
  const outcome = await ctx.db.transaction(async (tx) => {
    if (!(await closeApproval(tx, id, 'APPROVED', actor.identityId, comment, now))) {
      throw new ConflictError(`approval ${id} was decided meanwhile`)
    }
    await insertWorkItemEvent(tx, event(id, now, actor, 'APPROVED', comment))
    const next = decide(item.schemes, approval.step, 'APPROVE', item.requesterId, auto)
    if (next.kind === 'REJECTED') return 'PENDING'
    return continueChain(ctx, tx, item, approval.step + 1, auto, { by: actor.identityId, comment })
  })
  if (outcome === 'APPROVED') await provisionApprovedItem(ctx, item.id)
  return approvalById(ctx, id)
}

/** Rejects a step: the request ends there, nothing is provisioned. A comment where the item requires one. */
export async function rejectApproval(
  ctx: EngineContext,
  actor: RequestActor,
  id: string,
  comment: string | null,
): Promise<ApprovalWithItem> {
  const { item } = await pendingFor(ctx, actor, id)
  if ((comment ?? '').trim() === '' && (await denialCommentRequired(ctx, item))) {
    throw new InputError(`comment: rejecting ${item.itemName} needs a comment`)
  }
  const now = ctx.now()
  await ctx.db.transaction(async (tx) => {
    if (!(await closeApproval(tx, id, 'REJECTED', actor.identityId, comment, now))) {
      throw new ConflictError(`approval ${id} was decided meanwhile`)
    }
    await insertWorkItemEvent(tx, event(id, now, actor, 'REJECTED', comment))
    await changeRequestItem(
      tx,
      item.id,
      { phase: 'APPROVAL' },
      { phase: 'REJECTED', decided: now.toISOString() },
      now,
    )
    const extra = { approver: actor.identityId, approverComment: comment }
    await notify(ctx, tx, [requestMessage('REQUEST_REJECTED', item, requestParties(item), extra)])
  })
  return approvalById(ctx, id)
}

/** Hands a pending approval to another identity, with a comment; the forward is kept in its history. */
export async function forwardApproval(
  ctx: EngineContext,
  actor: RequestActor,
  id: string,
  to: string,
  comment: string,
): Promise<ApprovalWithItem> {
  const found = await approvalById(ctx, id)
  if (!isOrgAdmin(actor) && !(await mayDecide(ctx, actor, found.approval))) {
    throw new ForbiddenError(`approval ${id} is not yours to forward`)
  }
  if (found.approval.status !== 'PENDING') {
    throw new ConflictError(`approval ${id} is already ${found.approval.status.toLowerCase()}`)
  }
  if (comment.trim() === '') throw new InputError('comment: a forward needs a comment')
  const target: Identity | undefined = await findIdentity(ctx.db, to)
  if (!target) throw new InputError(`newOwnerId: no identity "${to}"`)
  if (target.id === found.approval.owner) throw new InputError(`newOwnerId: ${target.name} already holds it`)
  const now = ctx.now()
  await ctx.db.transaction(async (tx) => {
    if (!(await reassignApproval(tx, id, target.id, now))) {
      throw new ConflictError(`approval ${id} was decided meanwhile`)
    }
    await insertWorkItemEvent(tx, {
      ...event(id, now, actor, 'FORWARDED', comment),
      fromOwner: found.approval.owner ?? found.approval.ownerGroup,
      toOwner: target.id,
    })
    const message = requestMessage('APPROVAL_REQUESTED', found.item, [target.id], { approvalId: id })
    await notify(ctx, tx, [message])
  })
  return approvalById(ctx, id)
}

/** The requester (or an ORG_ADMIN) withdraws a request whose approval is still under way. */
export async function cancelAccessRequest(
  ctx: EngineContext,
  actor: RequestActor,
  requestId: string,
  comment: string,
): Promise<RequestItem[]> {
  const items = await listRequestItems(ctx.db, { requestIds: [requestId] })
  if (items.length === 0) throw new NotFoundError(`no access request with id "${requestId}"`)
  const mine = items.every((i) => i.requesterId !== null && i.requesterId === actor.identityId)
  if (!mine && !isOrgAdmin(actor)) {
    throw new ForbiddenError('only its requester or an ORG_ADMIN cancels a request')
  }
  const open = items.filter((i) => i.phase === 'APPROVAL')
  if (open.length === 0) {
    throw new ConflictError(`access request ${requestId} is past its approval: it cannot be cancelled`)
  }
  const now = ctx.now()
  await ctx.db.transaction(async (tx) => {
    for (const item of open) {
      // The approvers who were waiting to decide are told too: their work item is gone.
      const waiting: string[] = []
      for (const a of await listApprovals(tx, { requestItemIds: [item.id], statuses: ['PENDING'] })) {
        await closeApproval(tx, a.id, 'CANCELLED', actor.identityId, comment, now)
        await insertWorkItemEvent(tx, event(a.id, now, actor, 'CANCELLED', comment))
        waiting.push(...approversOf(item, a))
      }
      const extra = { cancelledBy: actor.identityId, reason: comment }
      const told = [...requestParties(item), ...waiting].filter((id) => id !== actor.identityId)
      await notify(ctx, tx, [requestMessage('REQUEST_CANCELLED', item, told, extra)])
      await changeRequestItem(
        tx,
        item.id,
        { phase: 'APPROVAL' },
        { phase: 'CANCELLED', decided: now.toISOString() },
        now,
      )
    }
  })
  return listRequestItems(ctx.db, { requestIds: [requestId] })
}

async function denialCommentRequired(ctx: EngineContext, item: RequestItem): Promise<boolean> {
  if (item.itemType === 'ENTITLEMENT') {
    return tenantRequestConfig(ctx).entitlementRequestConfig.deniedCommentsRequired
  }
  try {
    const config = await requestedItem(ctx, { type: item.itemType, id: item.itemId })
    const c =
      item.requestType === 'REVOKE_ACCESS' ? config.revocationRequestConfig : config.accessRequestConfig
    return (c as { denialCommentsRequired?: boolean | null } | null)?.denialCommentsRequired === true
  } catch {
    return false
  }
}

function event(
  workItemId: string,
  now: Date,
  actor: RequestActor,
  action: 'APPROVED' | 'REJECTED' | 'FORWARDED' | 'CANCELLED',
  comment: string | null,
) {
  return {
    workItemId,
    at: now.toISOString(),
    actor: actor.identityId ?? actor.clientId,
    action,
    fromOwner: null,
    toOwner: null,
    comment,
  }
}
