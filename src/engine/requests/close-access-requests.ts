import { ConflictError, ForbiddenError, NotFoundError } from '../../domain/errors.js'
import type { CloseDetail } from '../../domain/requests/access-request.js'
import { changeRequestItem, listRequestItems } from '../../store/access-requests.js'
import { closeApprovals, insertWorkItemEvent, listApprovals } from '../../store/approvals.js'
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
  for (const item of items) if (await closeItem(ctx, item.id, detail, now)) closed++
  return closed
}

/** Attempts at closing one item while approvers keep deciding it (each attempt reads it afresh). */
const ATTEMPTS = 5

/**
 * Closes one item and its pending approvals in one transaction, from what they are inside it: an approver
 * may have decided a step since the list was read (the next step is then what is pending, or the item is
 * approved), or decide one while this runs (another process). A close that finds an approval or the item
 * changed under it is rolled back and tried again; an item that ended meanwhile is left alone (false).
 */
async function closeItem(ctx: EngineContext, id: string, detail: CloseDetail, now: Date): Promise<boolean> {
  const changedMeanwhile = new Error('changed meanwhile')
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction(async (tx) => {
        const [item] = await listRequestItems(tx, { ids: [id] })
        if (!item || (item.phase !== 'APPROVAL' && item.phase !== 'APPROVED')) return false
        const pending = await listApprovals(tx, { requestItemIds: [id], statuses: ['PENDING'] })
        // Approvals before the item, in the order an approver's decision takes them (no deadlock).
        const cancelled = await closeApprovals(
          tx,
          pending.map((a) => a.id),
          'CANCELLED',
          detail.by,
          detail.message,
          now,
        )
        if (cancelled.length !== pending.length) throw changedMeanwhile
        for (const workItemId of cancelled) {
          await insertWorkItemEvent(tx, {
            workItemId,
            at: now.toISOString(),
            actor: detail.by,
            action: 'CANCELLED',
            fromOwner: null,
            toOwner: null,
            comment: detail.message,
          })
        }
        const from = { phase: item.phase, step: item.step }
        const change = { phase: 'TERMINATED' as const, closed: now.toISOString(), closeDetail: detail }
        if (!(await changeRequestItem(tx, id, from, change, now))) throw changedMeanwhile
        return true
      })
    } catch (err) {
      if (err !== changedMeanwhile) throw err
      if (attempt === ATTEMPTS) {
        throw new ConflictError(`access request item ${id} kept changing while it was closed: try again`)
      }
    }
  }
}
