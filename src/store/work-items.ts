import type { ActivityItem } from '../domain/execution/account-activity.js'
import type { SealedSecrets } from '../domain/secrets/sealed-secrets.js'
import { newId } from '../domain/new-id.js'
import { selectTuples, type Db } from './db.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

/** A manual task for a flat-file source's owner: one account request to carry out by hand. */
export interface WorkItem {
  readonly id: string
  readonly type: 'ManualAction'
  /** Canceled: withdrawn by the engine (its request was overtaken), with the reason in `comment`. */
  readonly state: 'Pending' | 'Finished' | 'Rejected' | 'Canceled'
  readonly owner: string | null
  readonly sourceId: string
  readonly activityId: string
  readonly description: string
  /** Exactly what to do; a secret item's value is in `secrets`, shown only in the task's detail. */
  readonly remediationItems: readonly ActivityItem[]
  /** Sealed (engine/manual-tasks.ts opens them); null once the task is closed. */
  readonly secrets: StoredSecrets | null
  readonly comment: string | null
  readonly created: string
  readonly completed: string | null
}

/** Sealed secrets, or (written before secrets were encrypted) the values themselves. */
export type StoredSecrets = SealedSecrets | Readonly<Record<string, string>>

type Row = [
  string,
  WorkItem['state'],
  string | null,
  string,
  string,
  string,
  ActivityItem[],
  StoredSecrets | null,
  string | null,
  string,
  string | null,
]

const time = (c: string): string => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const COLUMNS = [
  'id',
  'state',
  'owner',
  'source_id',
  'activity_id',
  'description',
  'remediation_items',
  'secrets',
  'comment',
  time('created'),
  time('completed'),
]

export async function insertWorkItems(
  db: Db,
  items: readonly Omit<WorkItem, 'id' | 'type' | 'state' | 'comment' | 'created' | 'completed'>[],
): Promise<void> {
  if (items.length === 0) return
  await db.query(
    `INSERT INTO work_items (id, owner, source_id, activity_id, description, remediation_items, secrets)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::json[], $7::json[])
     ON CONFLICT (activity_id) DO NOTHING`,
    [
      items.map(() => newId()),
      items.map((i) => i.owner),
      items.map((i) => i.sourceId),
      items.map((i) => i.activityId),
      items.map((i) => i.description),
      items.map((i) => JSON.stringify(i.remediationItems)),
      items.map((i) => (i.secrets ? JSON.stringify(i.secrets) : null)),
    ],
  )
}

/** What work items can be filtered by; `state` defaults to Pending. */
export interface WorkItemFilter {
  readonly owner?: string
  /** Owned by any of these (an identity's id and name: an owner is stored by either). */
  readonly owners?: readonly string[]
  readonly state?: WorkItem['state'] | 'all'
  /** In any of these states (instead of `state`). */
  readonly states?: readonly WorkItem['state'][]
  readonly id?: string
  /** The manual tasks of these account activities. */
  readonly activityIds?: readonly string[]
}

/** The fields work item listings sort by. */
export type WorkItemSortField = 'created' | 'id'
const WORK_ITEM_COLUMNS: Record<WorkItemSortField, string> = { created: 'created', id: 'id' }

// Manual tasks only: approvals (type Approval, store/approvals.ts) share the table.
const WORK_ITEM_WHERE = `WHERE type = 'ManualAction' AND ($1::text IS NULL OR owner = $1) AND ($2::text IS NULL OR state = $2)
  AND ($3::text IS NULL OR id = $3) AND ($4::text[] IS NULL OR owner = ANY($4))
  AND ($5::text[] IS NULL OR state = ANY($5)) AND ($6::text[] IS NULL OR activity_id = ANY($6))`

function workItemParams(filter: WorkItemFilter): unknown[] {
  return [
    filter.owner ?? null,
    filter.states !== undefined || filter.state === 'all' ? null : (filter.state ?? 'Pending'),
    filter.id ?? null,
    filter.owners ?? null,
    filter.states ?? null,
    filter.activityIds ?? null,
  ]
}

/** How many work items match a filter. */
export async function countWorkItems(db: Db, filter: WorkItemFilter = {}): Promise<number> {
  return countRows(db, `FROM work_items ${WORK_ITEM_WHERE}`, workItemParams(filter))
}

/** Work items in creation order (or a page's order). */
export async function listWorkItems(
  db: Db,
  filter: WorkItemFilter = {},
  page?: Page<WorkItemSortField>,
): Promise<WorkItem[]> {
  const params = workItemParams(filter)
  const order = orderClause(page?.sort, WORK_ITEM_COLUMNS, 'id', 'id')
  const rows = await selectTuples<Row>(
    db,
    COLUMNS,
    `FROM (SELECT * FROM work_items ${WORK_ITEM_WHERE} ${order}${limitClause(page, params)}) AS page`,
    params,
    order,
  )
  return rows.map(
    ([
      id,
      state,
      owner,
      sourceId,
      activityId,
      description,
      remediationItems,
      secrets,
      comment,
      created,
      completed,
    ]) => ({
      id,
      type: 'ManualAction',
      state,
      owner,
      sourceId,
      activityId,
      description,
      remediationItems,
      secrets,
      comment,
      created,
      completed,
    }),
  )
}

/** Closes a pending work item; false when it was not pending (already closed, or no such item). */
export async function closeWorkItem(
  db: Db,
  id: string,
  state: 'Finished' | 'Rejected',
  comment: string | null,
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE work_items SET state = $2, comment = $3, completed = $4, secrets = NULL
     WHERE id = $1 AND type = 'ManualAction' AND state = 'Pending' RETURNING id`,
    [id, state, comment, now.toISOString()],
  )
  return rows.length === 1
}

/** The pending work items that hold secrets: what a key rotation seals again. */
export async function listWorkItemSecrets(
  db: Db,
): Promise<{ id: string; activityId: string; secrets: StoredSecrets }[]> {
  const rows = await selectTuples<[string, string, StoredSecrets]>(
    db,
    ['id', 'activity_id', 'secrets'],
    `FROM work_items WHERE state = 'Pending' AND secrets IS NOT NULL`,
    [],
  )
  return rows.map(([id, activityId, secrets]) => ({ id, activityId, secrets }))
}

/** Replaces a pending work item's secrets (sealed again); false when it was closed meanwhile. */
export async function replaceWorkItemSecrets(db: Db, id: string, secrets: SealedSecrets): Promise<boolean> {
  const rows = await db.query(
    `UPDATE work_items SET secrets = $2 WHERE id = $1 AND state = 'Pending' AND secrets IS NOT NULL RETURNING id`,
    [id, JSON.stringify(secrets)],
  )
  return rows.length === 1
}

/** Hands a pending work item to another owner, with the forwarder's comment; false when it was not pending. */
export async function forwardWorkItem(db: Db, id: string, owner: string, comment: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE work_items SET owner = $2, comment = $3 WHERE id = $1 AND type = 'ManualAction' AND state = 'Pending' RETURNING id`,
    [id, owner, comment],
  )
  return rows.length === 1
}
