import type { AccountActivity, ProvisioningStatus } from '../domain/execution/account-activity.js'
import type { ProcessType } from '../domain/execution/retry-policy.js'
import { newId } from '../domain/new-id.js'
import type { CheckedFilter } from '../domain/query/check-filters.js'
import type { AccountOperation, AttributeOperation, PlanReason } from '../domain/plan/plan-item.js'
import { BATCH_SIZE, batches, selectTuples, type Db } from './db.js'
import { activityColumns, toActivity, type ActivityTuple } from './activity-rows.js'
import { WhereClauses } from './where-clauses.js'
import { countRows, isPartial, limitClause, orderClause, type Page } from './paging.js'

export interface ActivityFilter {
  readonly ids?: readonly string[]
  readonly identityId?: string
  readonly sourceId?: string
  readonly status?: ProvisioningStatus
  readonly type?: ProcessType
  /** A v3 `filters` expression, checked against the activity listing's fields. */
  readonly expression?: CheckedFilter<ActivityFilterField>
}

/** The fields a `filters` expression on activities can name, and the SQL each reads. */
export type ActivityFilterField =
  'id' | 'type' | 'created' | 'modified' | 'completed' | 'identityId' | 'sourceId' | 'status' | 'operation'
const ACTIVITY_FILTER_COLUMNS: Record<ActivityFilterField, string> = {
  id: 'id',
  type: 'type',
  created: 'created',
  modified: 'modified',
  completed: 'completed',
  identityId: 'identity_id',
  sourceId: 'source_id',
  status: 'status',
  operation: 'operation',
}

/** The fields activity listings sort by. */
export type ActivitySortField = 'created' | 'modified' | 'type' | 'id'
const ACTIVITY_COLUMNS: Record<ActivitySortField, string> = {
  created: 'created',
  modified: 'modified',
  type: 'type',
  id: 'id',
}

function activityWhere(filter: ActivityFilter): { where: string[]; params: unknown[] } {
  const w = new WhereClauses()
  if (filter.ids) w.add('id = ANY(?::text[])', filter.ids)
  if (filter.identityId !== undefined) w.add('identity_id = ?', filter.identityId)
  if (filter.sourceId !== undefined) w.add('source_id = ?', filter.sourceId)
  if (filter.status !== undefined) w.add('status = ?', filter.status)
  if (filter.type !== undefined) w.add('type = ?', filter.type)
  w.filter(filter.expression, ACTIVITY_FILTER_COLUMNS)
  return { where: w.conditions, params: w.params }
}

/** How many activities match a filter. */
export async function countActivities(db: Db, filter: ActivityFilter = {}): Promise<number> {
  const { where, params } = activityWhere(filter)
  return countRows(db, `FROM account_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params)
}

/**
 * Activities matching a filter, oldest first; a page reads one part in its order. The whole listing
 * is read in batches by id: there may be hundreds of thousands.
 */
export async function listActivities(
  db: Db,
  filter: ActivityFilter = {},
  page?: Page<ActivitySortField>,
): Promise<AccountActivity[]> {
  const { where, params } = activityWhere(filter)
  if (isPartial(page)) {
    const order = orderClause(page?.sort, ACTIVITY_COLUMNS, 'id', 'id')
    const rows = await selectTuples<ActivityTuple>(
      db,
      activityColumns('page'),
      `FROM (SELECT * FROM account_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ${order}${limitClause(page, params)}) AS page`,
      params,
      order,
    )
    return rows.map(toActivity)
  }
  const out: AccountActivity[] = []
  for (let after = ''; ;) {
    const batch = await selectTuples<ActivityTuple>(
      db,
      activityColumns('page'),
      `FROM (SELECT * FROM account_requests WHERE ${[...where, `id > $${params.length + 1}`].join(' AND ')}
         ORDER BY id LIMIT ${BATCH_SIZE}) AS page`,
      [...params, after],
    )
    for (const r of batch) {
      out.push(toActivity(r))
      if (r[0] > after) after = r[0]
    }
    if (batch.length < BATCH_SIZE) return out.sort((a, b) => (a.id < b.id ? -1 : 1))
  }
}

/** Counts per status, e.g. for `apply --wait`'s progress. */
export async function countByStatus(db: Db, ids?: readonly string[]): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM account_requests WHERE ($1::text[] IS NULL OR id = ANY($1)) GROUP BY status`,
    [ids ?? null],
  )
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
}

/**
 * Makes failed or retrying activities due now, with a fresh set of attempts (a person asked for it).
 * Returns the ids it changed.
 */
export async function retryNow(
  db: Db,
  filter: { ids?: readonly string[]; sourceId?: string },
  now: Date,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE account_requests SET status = 'RETRY', attempts = 0, next_attempt_at = $3, lease_until = NULL,
       completed = NULL, modified = $3
     WHERE ($1::text[] IS NULL OR id = ANY($1)) AND ($2::text IS NULL OR source_id = $2)
       AND status IN ('FAILED', 'RETRY')
     RETURNING id`,
    [filter.ids ?? null, filter.sourceId ?? null, now.toISOString()],
  )
  return rows.map((r) => r.id)
}

/** An activity as a plan writes it and the planner reads it back: what it does, not how it went. */
export interface PlannedActivityRow {
  readonly id: string
  readonly identityId: string
  readonly sourceId: string
  readonly nativeIdentity: string | null
  readonly operation: AccountOperation
  readonly items: readonly {
    readonly operation: AttributeOperation
    readonly attribute: string
    readonly value: string | readonly string[] | null
    readonly secret?: boolean
  }[]
  readonly reasons: readonly PlanReason[]
  readonly status: string
}

/** A new activity: the engine decides its process type (the store decides no business rule). */
export type NewActivity = Omit<PlannedActivityRow, 'id' | 'status'> & { readonly type: ProcessType }

/** Inserts pending activities; returns their ids. */
export async function insertActivities(db: Db, rows: readonly NewActivity[]): Promise<string[]> {
  const ids = rows.map(() => newId())
  await db.insertRows(
    'account_requests',
    ['id', 'type', 'identity_id', 'source_id', 'native_identity', 'operation', 'items', 'reasons'],
    rows.map((r, i) => [
      ids[i] as string,
      r.type,
      r.identityId,
      r.sourceId,
      r.nativeIdentity,
      r.operation,
      JSON.stringify(r.items),
      JSON.stringify(r.reasons),
    ]),
  )
  return ids
}

type PlannedTuple = [
  string,
  string,
  string,
  string | null,
  AccountOperation,
  PlannedActivityRow['items'],
  PlanReason[],
  string,
]

/** Planned activities in id (creation) order, read in pages: there may be hundreds of thousands. */
export async function listPlannedActivities(
  db: Db,
  filter: { statuses?: readonly string[]; identityIds?: readonly string[] } = {},
): Promise<PlannedActivityRow[]> {
  const statuses = filter.statuses ?? null
  const out: PlannedActivityRow[] = []
  const columns = [
    'id',
    'identity_id',
    'source_id',
    'native_identity',
    'operation',
    'items',
    'reasons',
    'status',
  ]
  const add = (page: readonly PlannedTuple[]): void => {
    for (const [id, identityId, sourceId, nativeIdentity, operation, items, reasons, status] of page) {
      out.push({ id, identityId, sourceId, nativeIdentity, operation, items, reasons, status })
    }
  }
  if (filter.identityIds !== undefined) {
    // A few identities' activities: by the identity index, not by walking every request in id order.
    for (const batch of batches(filter.identityIds)) {
      const page = await selectTuples<PlannedTuple>(
        db,
        columns,
        'FROM account_requests WHERE identity_id = ANY($1::text[]) AND ($2::text[] IS NULL OR status = ANY($2))',
        [batch, statuses],
      )
      add(page)
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : 1))
  }
  for (let after = ''; ;) {
    const page = await selectTuples<PlannedTuple>(
      db,
      columns,
      `FROM (SELECT * FROM account_requests WHERE id > $2 AND ($1::text[] IS NULL OR status = ANY($1))
         ORDER BY id LIMIT ${BATCH_SIZE}) AS page`,
      [statuses, after],
    )
    add(page)
    if (page.length < BATCH_SIZE) return out.sort((a, b) => (a.id < b.id ? -1 : 1))
    for (const [id] of page) if (id > after) after = id
  }
}
