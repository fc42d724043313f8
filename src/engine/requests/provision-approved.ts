import type { Identity } from '../../domain/model.js'
import type { Assignment } from '../../domain/plan/assignment.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import { listRequestItems, recordProvisioning, type ProvisioningResult } from '../../store/access-requests.js'
import {
  assignmentsOf,
  deleteAssignment,
  insertAssignments,
  setAssignmentDates,
  type NewAssignment,
} from '../../store/assignments.js'
import type { Db } from '../../store/db.js'
import { enqueueIdentities } from '../../store/queues.js'
import { applyPlan } from '../apply-plan.js'
import type { EngineContext } from '../engine-context.js'
import { analyzeRequestTables } from './request-statistics.js'

/**
 * Turns approved request items into access: a grant becomes an assignment (origin ACCESS_REQUEST, with
 * its start and remove dates), a revoke removes the identity's assignments of the item (or gives them the
 * requested end date). Then the identities' plans are applied at once, in one pass — also with
 * `provisioning: review`: the approval was the review — and the executor provisions them with the
 * ACCESS_REQUEST retry policy. Idempotent: run again after a crash, it finds the assignments made and the
 * plans' changes already asked for (the planner never asks twice). Items not approved are passed over.
 */
export async function provisionApprovedItems(
  ctx: EngineContext,
  itemIds: readonly string[],
  /** The items as read before the transaction that approved them (saves reading them again). */
  justApproved?: readonly RequestItem[],
  /** Their identities, as the same call read them (the planner does not read them again). */
  identities?: readonly Identity[],
): Promise<void> {
  if (itemIds.length === 0) return
  const wanted = new Set(itemIds)
  const items =
    justApproved !== undefined
      ? justApproved.filter((i) => wanted.has(i.id)).map((i) => ({ ...i, phase: 'APPROVED' as const }))
      : (await listRequestItems(ctx.db, { ids: itemIds })).filter((i) => i.phase === 'APPROVED')
  if (items.length === 0) return
  const now = ctx.now()
  const fresh = items.filter((i) => i.assignmentId === null)
  let made: ProvisioningResult[] = []
  if (fresh.length > 0) {
    made = await ctx.db.transaction(async (tx) => {
      const assigned = await assign(tx, fresh)
      await enqueueIdentities(tx, [...new Set(fresh.map((i) => i.identityId))], ['plan'])
      // A revoke's assignment is gone once deleted, so its id is recorded with the deletion. A grant's is
      // recorded below with the activities, in the same statement: a run after a crash in between finds
      // the grant's assignment again (assign reuses it) and plans nothing twice.
      const revokes = new Set(fresh.filter((i) => i.requestType === 'REVOKE_ACCESS').map((i) => i.id))
      await recordProvisioning(
        tx,
        assigned.filter((r) => revokes.has(r.id)),
        now,
      )
      return assigned
    })
    await analyzeRequestTables(ctx.db, { assignments: fresh.length })
  }
  const assignmentIds = new Map(made.map((r) => [r.id, r.assignmentId]))
  const assignmentOf = (id: string): { assignmentId?: string } => {
    const assignmentId = assignmentIds.get(id)
    return assignmentId !== undefined ? { assignmentId } : {}
  }
  const identityIds = [...new Set(items.map((i) => i.identityId))]
  let results: ProvisioningResult[]
  try {
    const applied = await applyPlan(ctx, {
      identityIds,
      ...(identities !== undefined ? { readIdentities: identities } : {}),
    })
    results = items.map((item) => ({
      id: item.id,
      ...assignmentOf(item.id),
      activityIds: [
        ...new Set([...item.activityIds, ...(applied.activitiesByIdentity.get(item.identityId) ?? [])]),
      ],
      provisioningError: null,
    }))
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    results = items.map((item) => ({ id: item.id, ...assignmentOf(item.id), provisioningError: message }))
  }
  await recordProvisioning(ctx.db, results, now)
}

/** Each item's assignment: grants added in one statement, revokes applied one by one (they are few). */
async function assign(tx: Db, items: readonly RequestItem[]): Promise<ProvisioningResult[]> {
  const results: ProvisioningResult[] = []
  const toInsert: { item: RequestItem; assignment: NewAssignment }[] = []
  const held = await assignmentsOf(tx, [...new Set(items.map((i) => i.identityId))])
  for (const item of items) {
    const mine = held.get(item.identityId) ?? []
    if (item.requestType === 'REVOKE_ACCESS') {
      results.push({ id: item.id, assignmentId: await revoke(tx, item, mine) })
      continue
    }
    // Asked for before and not yet started (or with an end): the new request's dates replace the old.
    const before = mine.find(
      (a) => a.origin === 'ACCESS_REQUEST' && a.itemType === item.itemType && a.itemId === item.itemId,
    )
    if (before) {
      await setAssignmentDates(tx, before.id, { startDate: item.startDate, removeDate: item.removeDate })
      results.push({ id: item.id, assignmentId: before.id })
      continue
    }
    toInsert.push({
      item,
      assignment: {
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
      },
    })
  }
  const ids = await insertAssignments(
    tx,
    toInsert.map((t) => t.assignment),
  )
  toInsert.forEach((t, i) => results.push({ id: t.item.id, assignmentId: ids[i] as string }))
  return results
}

/** Revocation removes what requests and administrators gave; what policy grants stays (the planner keeps it). */
async function revoke(tx: Db, item: RequestItem, held: readonly Assignment[]): Promise<string> {
  const given = held.filter(
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
