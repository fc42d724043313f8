import type { RequestItem } from '../../domain/requests/access-request.js'
import { changeRequestItem, findRequestItem } from '../../store/access-requests.js'
import {
  deleteAssignment,
  listAssignments,
  saveAssignment,
  setAssignmentDates,
} from '../../store/assignments.js'
import { enqueueIdentities } from '../../store/queues.js'
import { applyPlan } from '../apply-plan.js'
import type { EngineContext } from '../engine-context.js'

/**
 * Turns an approved request item into access: a grant becomes an assignment (origin ACCESS_REQUEST, with
 * its start and remove dates), a revoke removes the identity's assignments of the item (or gives them the
 * requested end date). Then the identity's plan is applied at once — also with `provisioning: review`:
 * the approval was the review — and the executor provisions it with the ACCESS_REQUEST retry policy.
 * Idempotent: run again after a crash, it finds the assignment made and the plan's changes already asked
 * for (the planner never asks twice).
 */
export async function provisionApproved(
  ctx: EngineContext,
  itemId: string,
): Promise<RequestItem | undefined> {
  await provisionApprovedItem(ctx, itemId)
  return findRequestItem(ctx.db, itemId)
}

/** `provisionApproved` for a caller that does not read the item afterwards (one query fewer). */
export async function provisionApprovedItem(ctx: EngineContext, itemId: string): Promise<void> {
  const item = await findRequestItem(ctx.db, itemId)
  if (!item || item.phase !== 'APPROVED') return
  const now = ctx.now()
  if (item.assignmentId === null) {
    await ctx.db.transaction(async (tx) => {
      const assignmentId =
        item.requestType === 'GRANT_ACCESS' ? await grant(tx, item) : await revoke(tx, item)
      await enqueueIdentities(tx, [item.identityId], ['plan'])
      await changeRequestItem(tx, item.id, { phase: 'APPROVED' }, { assignmentId }, now)
    })
  }
  try {
    const applied = await applyPlan(ctx, { identityIds: [item.identityId] })
    const mine = [...new Set([...item.activityIds, ...applied.activityIds])]
    await changeRequestItem(
      ctx.db,
      item.id,
      { phase: 'APPROVED' },
      { activityIds: mine, provisioningError: null },
      now,
    )
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    await changeRequestItem(ctx.db, item.id, { phase: 'APPROVED' }, { provisioningError: message }, now)
  }
}

type Tx = Parameters<Parameters<EngineContext['db']['transaction']>[0]>[0]

async function grant(tx: Tx, item: RequestItem): Promise<string> {
  // Asked for before and not yet started (or with an end): the new request's dates replace the old.
  const before = (await listAssignments(tx, item.identityId)).find(
    (a) => a.origin === 'ACCESS_REQUEST' && a.itemType === item.itemType && a.itemId === item.itemId,
  )
  if (before) {
    await setAssignmentDates(tx, before.id, { startDate: item.startDate, removeDate: item.removeDate })
    return before.id
  }
  const saved = await saveAssignment(tx, {
    identityId: item.identityId,
    itemType: item.itemType,
    itemId: item.itemId,
    itemName: item.itemName,
    origin: 'ACCESS_REQUEST',
    startDate: item.startDate,
    removeDate: item.removeDate,
    requestId: item.requestId,
    nativeIdentity: item.nativeIdentity,
    createdBy: item.requesterId ?? item.requesterClient,
  })
  return saved.id
}

/** Revocation removes what requests and administrators gave; what policy grants stays (the planner keeps it). */
async function revoke(tx: Tx, item: RequestItem): Promise<string> {
  const given = (await listAssignments(tx, item.identityId)).filter(
    (a) =>
      (a.origin === 'ACCESS_REQUEST' || a.origin === 'ADMIN') &&
      a.itemType === item.itemType &&
      a.itemId === item.itemId,
  )
  for (const a of given) {
    if (item.removeDate !== null) {
      await setAssignmentDates(tx, a.id, { startDate: a.startDate, removeDate: item.removeDate })
    } else await deleteAssignment(tx, a.id)
  }
  return given[0]?.id ?? ''
}
