import { ForbiddenError, NotFoundError } from '../../domain/errors.js'
import type { CloseDetail } from '../../domain/requests/access-request.js'
import { changeRequestItem, listRequestItems } from '../../store/access-requests.js'
import { closeApproval, insertWorkItemEvent, listApprovals } from '../../store/approvals.js'
import type { EngineContext } from '../engine-context.js'
import { isOrgAdmin, type RequestActor } from './access-request-actor.js'

/**
 * An administrator closes requests stuck in a pending state (the reference's `/access-requests/close`):
 * their open approvals are cancelled and each item ends with the given execution and completion status.
 * Items that already ended are left alone; an id that names no request is an error, and nothing is closed.
 * Returns how many items it closed.
 */
export async function closeAccessRequests(
  ctx: EngineContext,
  actor: RequestActor,
  input: {
    readonly accessRequestIds: readonly string[]
    readonly message?: string | undefined
    readonly executionStatus: CloseDetail['executionStatus']
    readonly completionStatus: CloseDetail['completionStatus']
  },
): Promise<number> {
  if (!isOrgAdmin(actor)) throw new ForbiddenError('closing access requests needs ORG_ADMIN')
  const now = ctx.now()
  // Every id must name a request, or nothing is closed: a mistyped id is said, not skipped with a 202.
  const named = await listRequestItems(ctx.db, { requestIds: input.accessRequestIds })
  const known = new Set(named.map((i) => i.requestId))
  const unknown = input.accessRequestIds.filter((id) => !known.has(id))
  if (unknown.length > 0) {
    throw new NotFoundError(`no access request with id ${unknown.map((id) => `"${id}"`).join(', ')}`)
  }
  const items = named.filter((i) => i.phase === 'APPROVAL' || i.phase === 'APPROVED')
  const detail: CloseDetail = {
    executionStatus: input.executionStatus,
    completionStatus: input.completionStatus,
    message: input.message ?? 'closed by an administrator',
    by: actor.identityId ?? actor.clientId,
  }
  let closed = 0
  for (const item of items) {
    await ctx.db.transaction(async (tx) => {
      for (const a of await listApprovals(tx, { requestItemIds: [item.id], statuses: ['PENDING'] })) {
        await closeApproval(tx, a.id, 'CANCELLED', detail.by, detail.message, now)
        await insertWorkItemEvent(tx, {
          workItemId: a.id,
          at: now.toISOString(),
          actor: detail.by,
          action: 'CANCELLED',
          fromOwner: null,
          toOwner: null,
          comment: detail.message,
        })
      }
      const changed = await changeRequestItem(
        tx,
        item.id,
        { phase: item.phase },
        { phase: 'TERMINATED', closed: now.toISOString(), closeDetail: detail },
        now,
      )
      if (changed) closed++
    })
  }
  return closed
}
