import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../../domain/errors.js'
import type { Identity } from '../../domain/model.js'
import type { Approval } from '../../domain/requests/approval.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import { changeRequestItem, listRequestItems } from '../../store/access-requests.js'
import {
  closeApproval,
  closeApprovals,
  insertWorkItemEvent,
  insertWorkItemEvents,
  listApprovals,
  reassignApproval,
} from '../../store/approvals.js'
import { findIdentity, loadIdentitiesById } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { isOrgAdmin, type RequestActor } from './access-request-actor.js'
import { approversOf, moveChains } from './approval-steps.js'
import { groupsOfMember } from './governance-group-members.js'
import { provisionApprovedItems } from './provision-approved.js'
import { notify, requestMessage, requestParties } from './request-notifications.js'
import { analyzeRequestTables } from './request-statistics.js'
import { requestedItem } from './requested-item.js'
import { tenantRequestConfig } from './tenant-request-config.js'

/** An approval with the request item it decides. */
export interface ApprovalWithItem {
  readonly approval: Approval
  readonly item: RequestItem
}

async function approvalById(ctx: EngineContext, id: string): Promise<ApprovalWithItem> {
  const [found] = await approvalsByIds(ctx, [id])
  if (!found) throw new NotFoundError(`no approval with id "${id}"`)
  return found
}

/** The approvals with these ids and their items, in the order asked; an id that is none is missing. */
export async function approvalsByIds(
  ctx: EngineContext,
  ids: readonly string[],
): Promise<ApprovalWithItem[]> {
  const approvals = await listApprovals(ctx.db, { ids })
  const items = new Map(
    (await listRequestItems(ctx.db, { ids: approvals.map((a) => a.requestItemId) })).map((i) => [i.id, i]),
  )
  const byId = new Map(approvals.map((a) => [a.id, a]))
  return ids.flatMap((id) => {
    const approval = byId.get(id)
    const item = approval && items.get(approval.requestItemId)
    return approval && item ? [{ approval, item }] : []
  })
}

/**
 * Who the actor is as an approver: their identity id and the governance groups they are a member of, read
 * once for any number of approvals.
 */
async function approverOf(
  ctx: EngineContext,
  actor: RequestActor,
): Promise<{ id: string | null; groups: readonly string[]; identity?: Identity }> {
  if (actor.identityId === null) return { id: null, groups: [] }
  const me = await findIdentity(ctx.db, actor.identityId)
  if (me === undefined) return { id: actor.identityId, groups: [] }
  return { id: actor.identityId, groups: groupsOfMember(ctx, me), identity: me }
}

function decides(approver: { id: string | null; groups: readonly string[] }, approval: Approval): boolean {
  if (approver.id === null) return false
  if (approval.owner !== null) return approval.owner === approver.id
  return approval.ownerGroup !== null && approver.groups.includes(approval.ownerGroup)
}

/**
 * With `approvalsMustBeExternal`, approvals are decided in another system, which calls the API as an
 * ORG_ADMIN: it decides any approval, and nobody else decides one (a refusal that says why). Otherwise
 * false: each approval is its approver's.
 */
function externalDecider(ctx: EngineContext, actor: RequestActor): boolean {
  if (!tenantRequestConfig(ctx).approvalsMustBeExternal) return false
  if (isOrgAdmin(actor)) return true
  throw new ForbiddenError(
    'approvals are decided in the external approval system (accessRequestConfig.approvalsMustBeExternal)',
  )
}

/** Whether the actor may decide the approval: its approver, or a member of the governance group holding it. */
export async function mayDecide(
  ctx: EngineContext,
  actor: RequestActor,
  approval: Approval,
): Promise<boolean> {
  return decides(await approverOf(ctx, actor), approval)
}

/**
 * The pending approvals with these ids, each the actor's to decide (and the actor's identity, when they
 * are one); otherwise the first problem throws.
 */
async function pendingFor(
  ctx: EngineContext,
  actor: RequestActor,
  ids: readonly string[],
): Promise<{ found: ApprovalWithItem[]; me: Identity | undefined }> {
  if (new Set(ids).size !== ids.length) throw new InputError('approvalIds: an approval is named twice')
  const found = await approvalsByIds(ctx, ids)
  const known = new Set(found.map((f) => f.approval.id))
  const missing = ids.find((id) => !known.has(id))
  if (missing !== undefined) throw new NotFoundError(`no approval with id "${missing}"`)
  const approver = await approverOf(ctx, actor)
  const external = externalDecider(ctx, actor)
  for (const { approval } of found) {
    if (!external && !decides(approver, approval)) {
      throw new ForbiddenError(`approval ${approval.id} is not yours to decide`)
    }
    if (approval.status !== 'PENDING') {
      throw new ConflictError(`approval ${approval.id} is already ${approval.status.toLowerCase()}`)
    }
  }
  return { found, me: approver.identity }
}

/** Approves a step: the chain moves on; after the last step the access is provisioned. */
export async function approveApproval(
  ctx: EngineContext,
  actor: RequestActor,
  id: string,
  comment: string | null,
): Promise<ApprovalWithItem> {
  await approveApprovals(ctx, actor, [id], comment)
  return approvalById(ctx, id)
}

/** The most approvals one bulk approval decides. */
export const MAX_BULK_APPROVALS = 250

/**
 * Approves several steps at once (the reference's bulk approve), all or none: each must be pending and
 * the actor's. The chains move on together, and the items whose last step this was are provisioned in
 * one pass of the planner.
 */
export async function approveApprovals(
  ctx: EngineContext,
  actor: RequestActor,
  ids: readonly string[],
  comment: string | null,
): Promise<void> {
  if (ids.length === 0) throw new InputError('approvalIds: name at least one approval')
  if (ids.length > MAX_BULK_APPROVALS) {
    throw new InputError(`approvalIds: at most ${MAX_BULK_APPROVALS} approvals at once`)
  }
  const { found, me } = await pendingFor(ctx, actor, ids)
  const now = ctx.now()
  const auto = tenantRequestConfig(ctx).autoApprovalEnabled
  // Read once for the messages and the planner: whom the access is for.
  const people = await loadIdentitiesById(ctx.db, [...new Set(found.map((f) => f.item.identityId))])
  const known = me !== undefined ? [...people, me] : people
  const approved = await ctx.db.transaction(async (tx) => {
    const closed = await closeApprovals(tx, ids, 'APPROVED', actor.identityId, comment, now)
    if (closed.length !== ids.length) {
      const gone = ids.find((id) => !closed.includes(id)) as string
      throw new ConflictError(`approval ${gone} was decided meanwhile`)
    }
    await insertWorkItemEvents(
      tx,
      ids.map((id) => event(id, now, actor, 'APPROVED', comment)),
    )
    const decision = { by: actor.identityId, comment }
    const moves = found.map(({ approval, item }) => ({ item, from: approval.step + 1, decision }))
    return moveChains(ctx, tx, moves, auto, false, known)
  })
  // Each decision is an event; each chain that moved on opened the next step's approval, with its event;
  // the items approved changed phase, which the statistics of the phases must follow.
  const next = found.length - approved.length
  await analyzeRequestTables(ctx.db, { items: approved.length, approvals: next, events: ids.length + next })
  await provisionApprovedItems(
    ctx,
    approved,
    found.map((f) => f.item),
    people,
  )
}

/** Rejects a step: the request ends there, nothing is provisioned. A comment where the item requires one. */
export async function rejectApproval(
  ctx: EngineContext,
  actor: RequestActor,
  id: string,
  comment: string | null,
): Promise<ApprovalWithItem> {
  const [{ item }] = (await pendingFor(ctx, actor, [id])).found as [ApprovalWithItem]
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
  if (!externalDecider(ctx, actor) && !isOrgAdmin(actor) && !(await mayDecide(ctx, actor, found.approval))) {
    throw new ForbiddenError(`approval ${id} is not yours to forward`)
  }
  if (found.approval.status !== 'PENDING') {
    throw new ConflictError(`approval ${id} is already ${found.approval.status.toLowerCase()}`)
  }
  if (comment.trim() === '') throw new InputError('comment: a forward needs a comment')
  const target: Identity | undefined = await findIdentity(ctx.db, to)
  if (!target) throw new InputError(`newOwnerId: no identity "${to}"`)
  if (target.id === found.approval.owner) throw new InputError(`newOwnerId: ${target.name} already holds it`)
  // A forward picks one person to decide: picking the one the access is for would have them approve their
  // own access, which only the tenant's configuration (auto-approval, the item's owners) may allow.
  if (target.id === found.item.identityId) {
    throw new InputError(`newOwnerId: ${target.name} is who the access is for and cannot approve it`)
  }
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
  // An approver may decide an item between the read above and this transaction, or during it (another
  // process): each close and change below holds only if nobody did, and otherwise the whole cancel is
  // refused and rolled back, rather than answered as done with its events and messages of a cancel that
  // did not happen.
  const meanwhile = (): ConflictError =>
    new ConflictError(`access request ${requestId} was decided meanwhile: it was not cancelled`)
  await ctx.db.transaction(async (tx) => {
    for (const item of open) {
      // The approvers who were waiting to decide are told too: their work item is gone.
      const waiting: string[] = []
      for (const a of await listApprovals(tx, { requestItemIds: [item.id], statuses: ['PENDING'] })) {
        if (!(await closeApproval(tx, a.id, 'CANCELLED', actor.identityId, comment, now))) throw meanwhile()
        await insertWorkItemEvent(tx, event(a.id, now, actor, 'CANCELLED', comment))
        waiting.push(...approversOf(item, a))
      }
      const cancelled = await changeRequestItem(
        tx,
        item.id,
        { phase: 'APPROVAL' },
        { phase: 'CANCELLED', decided: now.toISOString() },
        now,
      )
      if (!cancelled) throw meanwhile()
      const extra = { cancelledBy: actor.identityId, reason: comment }
      const told = [...requestParties(item), ...waiting].filter((id) => id !== actor.identityId)
      await notify(ctx, tx, [requestMessage('REQUEST_CANCELLED', item, told, extra)])
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
