import type { AccountActivity } from '../../domain/execution/account-activity.js'
import type { Approval, WorkItemEvent } from '../../domain/requests/approval.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import {
  requestPhases,
  requestState,
  type RequestPhaseView,
  type RequestState,
} from '../../domain/requests/request-state.js'
import {
  countRequestItems,
  listRequestItems,
  requestActivityIds,
  type RequestItemFilter,
  type RequestItemSortField,
} from '../../store/access-requests.js'
import { listActivities } from '../../store/activities.js'
import { groupBy } from '../../domain/group-by.js'
import { listApprovals, listWorkItemEvents } from '../../store/approvals.js'
import { loadIdentityNames } from '../../store/identities.js'
import { listWorkItems, type WorkItem } from '../../store/work-items.js'
import type { EngineContext } from '../engine-context.js'
import { pageOf, resultOf, type Query, type QueryResult } from '../queries/query.js'

/** Everything the status of one requested item shows. */
export interface RequestStatus {
  readonly item: RequestItem
  readonly state: RequestState
  readonly phases: readonly RequestPhaseView[]
  /** Each approval with its reassignments (forwards and escalations): of its events, what a status shows. */
  readonly approvals: readonly (Approval & { readonly reassignments: readonly WorkItemEvent[] })[]
  readonly activities: readonly AccountActivity[]
  readonly manualWorkItems: readonly WorkItem[]
  /** The names of the identities it names (requester, requested for, approvers, deciders), by id. */
  readonly identities: ReadonlyMap<string, { readonly name: string }>
  /** The requester may still cancel it. */
  readonly cancelable: boolean
}

const FIELDS: readonly RequestItemSortField[] = ['created', 'modified', 'name']

/** Requested items with their states, approvals, account activities and manual tasks, newest first. */
export async function listRequestStatuses(
  ctx: EngineContext,
  query: Query<RequestItemFilter, RequestItemSortField> = {},
): Promise<QueryResult<RequestStatus>> {
  const filter = query.filters ?? {}
  const items = await listRequestItems(ctx.db, filter, pageOf(query, FIELDS))
  const rows = await statusesOf(ctx, items)
  return resultOf(query, rows, () => countRequestItems(ctx.db, filter))
}

export async function statusesOf(
  ctx: EngineContext,
  items: readonly RequestItem[],
): Promise<RequestStatus[]> {
  const now = ctx.now()
  const approvals = await listApprovals(ctx.db, { requestItemIds: items.map((i) => i.id) })
  const events = groupBy(
    await listWorkItemEvents(
      ctx.db,
      approvals.map((a) => a.id),
      ['FORWARDED', 'ESCALATED'],
    ),
    (e) => e.workItemId,
  )
  const approvalsOf = groupBy(approvals, (a) => a.requestItemId)
  const out: RequestStatus[] = []
  const names = new Set<string>()
  // An item without an assignment or recorded activities (one still in its approval, or one that ended
  // there) has none: the activities' queries are for the others only.
  const idsOf = await requestActivityIds(
    ctx.db,
    items.filter((i) => (i.assignmentId ?? '') !== '' || i.activityIds.length > 0),
  )
  // The page's activities and manual tasks in one query each, rather than two per item.
  const all = [...new Set([...idsOf.values()].flat())]
  const allActivities = all.length > 0 ? await listActivities(ctx.db, { ids: all }) : []
  const allManual = all.length > 0 ? await listWorkItems(ctx.db, { activityIds: all, state: 'all' }) : []
  const position = new Map(allActivities.map((a, n) => [a.id, n]))
  for (const item of items) {
    const ids = new Set(idsOf.get(item.id))
    // Both lists are in id order, as each item's own query returned them.
    const activities = [...ids]
      .flatMap((id) => position.get(id) ?? [])
      .sort((a, b) => a - b)
      .map((n) => allActivities[n] as AccountActivity)
    const manual = allManual.filter((w) => w.activityIds.some((a) => ids.has(a)))
    const state = requestState(item, activities, now)
    const mine = (approvalsOf.get(item.id) ?? []).map((a) => ({
      ...a,
      reassignments: events.get(a.id) ?? [],
    }))
    for (const id of [
      item.identityId,
      item.requesterId,
      ...mine.flatMap((a) => [a.owner, a.originalOwner, a.decidedBy]),
    ]) {
      if (id) names.add(id)
    }
    out.push({
      item,
      state,
      phases: requestPhases(item, state, activities),
      approvals: mine,
      activities,
      manualWorkItems: manual,
      identities: new Map(),
      cancelable: item.phase === 'APPROVAL',
    })
  }
  const identities = new Map(
    [...(await loadIdentityNames(ctx.db, [...names]))].map(([id, name]) => [id, { name }]),
  )
  return out.map((s) => ({ ...s, identities }))
}
