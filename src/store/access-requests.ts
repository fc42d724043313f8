import { groupBy } from '../domain/group-by.js'
import type { AssignedItemType } from '../domain/plan/assignment.js'
import type { ChainStep } from '../domain/requests/approval-chain.js'
import type {
  CloseDetail,
  RequestItem,
  RequestPhase,
  RequestType,
} from '../domain/requests/access-request.js'
import type { CheckedFilter } from '../domain/query/check-filters.js'
import { selectJsonRows, selectTuples, type Db } from './db.js'
import { WhereClauses } from './where-clauses.js'
import { iso, isoOrNull } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

interface Row {
  id: string
  request_id: string
  request_type: RequestType
  requester_id: string | null
  requester_client: string | null
  identity_id: string
  item_type: AssignedItemType
  item_id: string
  item_name: string
  source_id: string | null
  comment: string | null
  start_date: string | Date | null
  remove_date: string | Date | null
  client_metadata: Record<string, string> | null
  native_identity: string | null
  phase: RequestPhase
  schemes: ChainStep[]
  step: number
  assignment_id: string | null
  activity_ids: string[]
  provisioning_error: string | null
  decided: string | Date | null
  closed: string | Date | null
  close_detail: CloseDetail | null
  created: string | Date
  modified: string | Date
}

function toItem(r: Row): RequestItem {
  return {
    id: r.id,
    requestId: r.request_id,
    requestType: r.request_type,
    requesterId: r.requester_id,
    requesterClient: r.requester_client,
    identityId: r.identity_id,
    itemType: r.item_type,
    itemId: r.item_id,
    itemName: r.item_name,
    sourceId: r.source_id,
    comment: r.comment,
    startDate: isoOrNull(r.start_date),
    removeDate: isoOrNull(r.remove_date),
    clientMetadata: r.client_metadata,
    nativeIdentity: r.native_identity,
    phase: r.phase,
    schemes: r.schemes,
    step: r.step,
    assignmentId: r.assignment_id,
    activityIds: r.activity_ids,
    provisioningError: r.provisioning_error,
    decided: isoOrNull(r.decided),
    closed: isoOrNull(r.closed),
    closeDetail: r.close_detail,
    created: iso(r.created),
    modified: iso(r.modified),
  }
}

export type NewRequestItem = Omit<
  RequestItem,
  | 'assignmentId'
  | 'activityIds'
  | 'provisioningError'
  | 'decided'
  | 'closed'
  | 'closeDetail'
  | 'created'
  | 'modified'
>

/** Requested items, in one statement however many. */
export async function insertRequestItems(db: Db, items: readonly NewRequestItem[], now: Date): Promise<void> {
  if (items.length === 0) return
  const column = <K extends keyof NewRequestItem>(k: K): NewRequestItem[K][] => items.map((i) => i[k])
  await db.query(
    `INSERT INTO access_requests (id, request_id, request_type, requester_id, requester_client, identity_id,
       item_type, item_id, item_name, source_id, comment, start_date, remove_date, client_metadata,
       native_identity, phase, schemes, step, decided, created, modified)
     SELECT u.id, u.request_id, u.request_type, u.requester_id, u.requester_client, u.identity_id, u.item_type,
       u.item_id, u.item_name, u.source_id, u.comment, u.start_date, u.remove_date, u.client_metadata::json,
       u.native_identity, u.phase, u.schemes::json, u.step, CASE WHEN u.phase <> 'APPROVAL' THEN $19::timestamptz END,
       $19, $19
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::text[], $15::text[],
       $16::text[], $17::text[], $18::int[])
       AS u(id, request_id, request_type, requester_id, requester_client, identity_id, item_type, item_id,
         item_name, source_id, comment, start_date, remove_date, client_metadata, native_identity, phase, schemes,
         step)`,
    [
      column('id'),
      column('requestId'),
      column('requestType'),
      column('requesterId'),
      column('requesterClient'),
      column('identityId'),
      column('itemType'),
      column('itemId'),
      column('itemName'),
      column('sourceId'),
      column('comment'),
      column('startDate'),
      column('removeDate'),
      items.map((i) => (i.clientMetadata === null ? null : JSON.stringify(i.clientMetadata))),
      column('nativeIdentity'),
      column('phase'),
      items.map((i) => JSON.stringify(i.schemes)),
      column('step'),
      now.toISOString(),
    ],
  )
}

export async function findRequestItem(db: Db, id: string): Promise<RequestItem | undefined> {
  const rows = await db.query<Row>(`SELECT * FROM access_requests WHERE id = $1`, [id])
  return rows[0] && toItem(rows[0])
}

/** What requested items can be listed by. */
export interface RequestItemFilter {
  readonly ids?: readonly string[]
  readonly requestIds?: readonly string[]
  /** Requested for one of these identities. */
  readonly identityIds?: readonly string[]
  readonly requesterIds?: readonly string[]
  /** Requested for or by one of these identities (`regarding-identity`). */
  readonly regarding?: readonly string[]
  /**
   * Requested for or by this identity as well: what a person may see, applied with the other filters so
   * that a page and its count hold only those (`regarding` names whom the caller asks about).
   */
  readonly visibleTo?: string
  readonly phases?: readonly RequestPhase[]
  /** Approved items whose final state was not announced yet (`markAnnounced`). */
  readonly unannounced?: boolean
  /** Items without an assignment (approved ones whose provisioning never started). */
  readonly unassigned?: boolean
  readonly itemType?: AssignedItemType
  readonly itemId?: string
  readonly createdAfter?: string
  readonly createdBefore?: string
  /** A v3 `filters` expression over REQUEST_ITEM_FILTER_COLUMNS' fields. */
  readonly expression?: CheckedFilter<RequestItemFilterField>
}

export type RequestItemFilterField = 'accessRequestId' | 'id' | 'created' | 'modified' | 'type'
const REQUEST_ITEM_FILTER_COLUMNS: Record<RequestItemFilterField, string> = {
  accessRequestId: 'request_id',
  id: 'id',
  created: 'created',
  modified: 'modified',
  type: 'item_type',
}

export type RequestItemSortField = 'created' | 'modified' | 'name'
const SORT_COLUMNS: Record<RequestItemSortField, string> = {
  created: 'created',
  modified: 'modified',
  name: 'item_name',
}

function where(filter: RequestItemFilter): { sql: string; params: unknown[] } {
  const w = new WhereClauses()
  if (filter.ids) w.add('id = ANY(?::text[])', filter.ids)
  if (filter.requestIds) w.add('request_id = ANY(?::text[])', filter.requestIds)
  if (filter.identityIds) w.add('identity_id = ANY(?::text[])', filter.identityIds)
  if (filter.requesterIds) w.add('requester_id = ANY(?::text[])', filter.requesterIds)
  if (filter.regarding) {
    w.add('(identity_id = ANY(?::text[]) OR requester_id = ANY(?::text[]))', filter.regarding)
  }
  if (filter.visibleTo !== undefined) w.add('(identity_id = ? OR requester_id = ?)', filter.visibleTo)
  if (filter.phases) w.add('phase = ANY(?::text[])', filter.phases)
  if (filter.unannounced) w.add("phase = 'APPROVED' AND announced IS NULL")
  if (filter.unassigned) w.add('assignment_id IS NULL')
  if (filter.itemType) w.add('item_type = ?', filter.itemType)
  if (filter.itemId) w.add('item_id = ?', filter.itemId)
  if (filter.createdAfter) w.add('created > ?', filter.createdAfter)
  if (filter.createdBefore) w.add('created < ?', filter.createdBefore)
  w.filter(filter.expression, REQUEST_ITEM_FILTER_COLUMNS)
  return { sql: w.sql(), params: w.params }
}

export async function listRequestItems(
  db: Db,
  filter: RequestItemFilter,
  page?: Page<RequestItemSortField>,
): Promise<RequestItem[]> {
  const { sql, params } = where(filter)
  const order = orderClause(page?.sort, SORT_COLUMNS, 'created DESC, id', 'id')
  const rows = await selectJsonRows<Row>(
    db,
    `SELECT * FROM access_requests ${sql} ${order}${limitClause(page, params)}`,
    params,
    order,
  )
  return rows.map(toItem)
}

export async function countRequestItems(db: Db, filter: RequestItemFilter): Promise<number> {
  const { sql, params } = where(filter)
  return countRows(db, `FROM access_requests ${sql}`, params)
}

/** A change of a requested item's phase or step; only from the phase it was read in (no lost update). */
export interface RequestItemChange {
  readonly phase?: RequestPhase
  readonly step?: number
  readonly assignmentId?: string | null
  readonly activityIds?: readonly string[]
  readonly provisioningError?: string | null
  readonly decided?: string
  readonly closed?: string
  readonly closeDetail?: CloseDetail
}

/**
 * Serialises the requests made for these identities until the transaction `tx` ends: a transaction-scoped
 * advisory lock for each, taken in one order so that two requests naming the same people wait rather than
 * deadlock. What another request made for them before is then committed and visible.
 */
export async function lockRequestsFor(tx: Db, identityIds: readonly string[]): Promise<void> {
  if (identityIds.length === 0) return
  // The locks are taken after the sort (PostgreSQL evaluates volatile output after ORDER BY).
  await tx.query(
    'SELECT pg_advisory_xact_lock(7102, hashtext(id)) FROM unnest($1::text[]) AS id ORDER BY id',
    [[...new Set(identityIds)]],
  )
}

/** Applies `change` if the item is still in phase `from` (and step `fromStep`); false when it was not. */
export async function changeRequestItem(
  db: Db,
  id: string,
  from: { phase: RequestPhase; step?: number },
  change: RequestItemChange,
  now: Date,
): Promise<boolean> {
  const sets: string[] = ['modified = $1']
  const params: unknown[] = [now.toISOString()]
  const set = (column: string, value: unknown): void => {
    params.push(value)
    sets.push(`${column} = $${params.length}`)
  }
  if (change.phase !== undefined) set('phase', change.phase)
  if (change.step !== undefined) set('step', change.step)
  if (change.assignmentId !== undefined) set('assignment_id', change.assignmentId)
  if (change.activityIds !== undefined) set('activity_ids', JSON.stringify(change.activityIds))
  if (change.provisioningError !== undefined) set('provisioning_error', change.provisioningError)
  if (change.decided !== undefined) set('decided', change.decided)
  if (change.closed !== undefined) set('closed', change.closed)
  if (change.closeDetail !== undefined) set('close_detail', JSON.stringify(change.closeDetail))
  params.push(id, from.phase)
  let condition = `id = $${params.length - 1} AND phase = $${params.length}`
  if (from.step !== undefined) {
    params.push(from.step)
    condition += ` AND step = $${params.length}`
  }
  const rows = await db.query(
    `UPDATE access_requests SET ${sets.join(', ')} WHERE ${condition} RETURNING id`,
    params,
  )
  return rows.length === 1
}

/**
 * Each requested item's account activities: those of its identity that name its assignment among their
 * reasons, or whose ids it recorded; in id order. One query for any number of items.
 */
export async function requestActivityIds(
  db: Db,
  items: readonly Pick<RequestItem, 'id' | 'identityId' | 'assignmentId' | 'activityIds'>[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(items.map((i) => [i.id, []]))
  if (items.length === 0) return out
  const rows = await selectTuples<[id: string, identityId: string, assignments: string[] | null]>(
    db,
    [
      'r.id',
      'r.identity_id',
      `(SELECT json_agg(x->>'id') FROM json_array_elements(r.reasons) x WHERE x->>'kind' = 'ASSIGNMENT')`,
    ],
    'FROM account_requests r WHERE r.identity_id = ANY($1::text[])',
    [[...new Set(items.map((i) => i.identityId))]],
    'ORDER BY r.created, r.id',
  )
  const byIdentity = groupBy(rows, (r) => r[1])
  for (const item of items) {
    const recorded = new Set(item.activityIds)
    const assignment = item.assignmentId || null
    const mine = out.get(item.id) as string[]
    for (const [id, , assignments] of byIdentity.get(item.identityId) ?? []) {
      if (recorded.has(id) || (assignment !== null && (assignments ?? []).includes(assignment))) mine.push(id)
    }
  }
  return out
}

/** Records that an item's final state was announced; false when another run announced it first. */
export async function markAnnounced(db: Db, id: string, state: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE access_requests SET announced = $2, modified = $3 WHERE id = $1 AND announced IS NULL RETURNING id`,
    [id, state, now.toISOString()],
  )
  return rows.length === 1
}

/** Approved items' provisioning: the assignment each made, the activities it wrote, or why it could not start. */
export interface ProvisioningResult {
  readonly id: string
  readonly assignmentId?: string
  readonly activityIds?: readonly string[]
  readonly provisioningError?: string | null
}

/**
 * Records provisioning results on approved items, in one statement; a field a result leaves out is kept.
 * Only items still approved change (an administrator may have closed one meanwhile). The items are looked
 * up by their key (`a.id = ANY`) as well as joined: statistics that count few approved items (taken while
 * a batch was still in its approval) would otherwise have each row of the table compared with each result.
 */
export async function recordProvisioning(
  db: Db,
  results: readonly ProvisioningResult[],
  now: Date,
): Promise<void> {
  if (results.length === 0) return
  await db.query(
    `UPDATE access_requests a SET modified = $6,
       assignment_id = coalesce(u.assignment_id, a.assignment_id),
       activity_ids = coalesce(u.activity_ids::json, a.activity_ids),
       provisioning_error = CASE WHEN u.set_error THEN u.error ELSE a.provisioning_error END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[]) AS u(id, assignment_id, activity_ids,
       error, set_error)
     WHERE a.id = ANY($1::text[]) AND a.id = u.id AND a.phase = 'APPROVED'`,
    [
      results.map((r) => r.id),
      results.map((r) => r.assignmentId ?? null),
      results.map((r) => (r.activityIds === undefined ? null : JSON.stringify(r.activityIds))),
      results.map((r) => r.provisioningError ?? null),
      results.map((r) => r.provisioningError !== undefined),
      now.toISOString(),
    ],
  )
}

/** Moves items still in their approval to APPROVED (their last step approved); the ids it moved. */
export async function approveRequestItems(db: Db, ids: readonly string[], now: Date): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db.query<{ id: string }>(
    `UPDATE access_requests SET phase = 'APPROVED', decided = $2, modified = $2
     WHERE id = ANY($1::text[]) AND phase = 'APPROVAL' RETURNING id`,
    [ids, now.toISOString()],
  )
  return rows.map((r) => r.id)
}
