import type { RemediationItem } from '../domain/execution/remediation-item.js'
import type { SealedSecrets } from '../domain/secrets/sealed-secrets.js'
import { newId } from '../domain/new-id.js'
import { selectTuples, type Db } from './db.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'
import { WhereClauses } from './where-clauses.js'

/**
 * A manual task for a flat-file source's owner: one account request to carry out by hand, or (a
 * certification's revocations on the source, one sign-off's) several.
 */
export interface WorkItem {
  readonly id: string
  readonly type: 'ManualAction'
  /** Canceled: withdrawn by the engine (its request was overtaken), with the reason in `comment`. */
  readonly state: 'Pending' | 'Finished' | 'Rejected' | 'Canceled'
  readonly owner: string | null
  readonly sourceId: string
  /** The one request of a task of one; null for a task covering several (see `activityIds`). */
  readonly activityId: string | null
  /** Every request the task covers: completing or rejecting it closes them all. */
  readonly activityIds: readonly string[]
  readonly description: string
  /** Exactly what to do; a secret item's value is in `secrets`, shown only in the task's detail. */
  readonly remediationItems: readonly RemediationItem[]
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
  string | null,
  string[],
  string,
  RemediationItem[],
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
  // From the links, in the order the task lists them.
  `(SELECT coalesce(json_agg(l.activity_id ORDER BY l.position), '[]') FROM work_item_activities l
    WHERE l.work_item_id = page.id)`,
  'description',
  'remediation_items',
  'secrets',
  'comment',
  time('created'),
  time('completed'),
]

/** A manual task to make: its requests (`activityId` set for a task of one) and what to do. */
export type NewWorkItem = Omit<WorkItem, 'id' | 'type' | 'state' | 'comment' | 'created' | 'completed'>

/**
 * Makes manual tasks, each linked to its requests. A request already in a task (another executor made
 * it first) is left out of the new one, and a task left with none is not made. Returns the tasks made,
 * with the requests each took.
 */
export async function insertWorkItems(
  db: Db,
  items: readonly NewWorkItem[],
): Promise<{ readonly id: string; readonly activityIds: readonly string[] }[]> {
  if (items.length === 0) return []
  const drafts = items.map((i) => ({ ...i, id: newId() }))
  const taken = await linkActivities(
    db,
    drafts.flatMap((d) =>
      d.activityIds.map((activityId, n) => ({ workItemId: d.id, activityId, position: n })),
    ),
  )
  const kept = drafts.flatMap((d) => {
    const mine = d.activityIds.filter((a) => taken.has(a))
    if (mine.length === 0) return []
    if (mine.length === d.activityIds.length) return [d]
    return [
      {
        ...d,
        activityIds: mine,
        remediationItems: d.remediationItems.filter((i) => taken.has(i.activityId ?? '')),
      },
    ]
  })
  if (kept.length === 0) return []
  await db.query(
    `INSERT INTO work_items (id, owner, source_id, activity_id, description, remediation_items, secrets)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::json[], $7::json[])`,
    [
      kept.map((i) => i.id),
      kept.map((i) => i.owner),
      kept.map((i) => i.sourceId),
      kept.map((i) => i.activityId),
      kept.map((i) => i.description),
      kept.map((i) => JSON.stringify(i.remediationItems)),
      kept.map((i) => (i.secrets ? JSON.stringify(i.secrets) : null)),
    ],
  )
  return kept.map((i) => ({ id: i.id, activityIds: i.activityIds }))
}

/**
 * Adds requests to a pending task made moments before (the same sign-off's revocations claimed in a later
 * wave), with its new description. False when the task is no longer pending: the caller makes a new one.
 * The task's row is locked first, so completing it waits and then closes what was added too.
 */
export async function appendToWorkItem(
  db: Db,
  id: string,
  add: { readonly activityIds: readonly string[]; readonly remediationItems: readonly RemediationItem[] },
  description: string,
): Promise<boolean> {
  const [row] = await db.query<{ state: string; n: number }>(
    `SELECT state, (SELECT count(*)::int FROM work_item_activities WHERE work_item_id = $1) AS n
     FROM work_items WHERE id = $1 FOR UPDATE`,
    [id],
  )
  if (row?.state !== 'Pending') return false
  const taken = await linkActivities(
    db,
    add.activityIds.map((activityId, n) => ({ workItemId: id, activityId, position: Number(row.n) + n })),
  )
  await db.query(
    `UPDATE work_items SET description = $2, remediation_items = (remediation_items::jsonb || $3::jsonb)::json
     WHERE id = $1`,
    [id, description, JSON.stringify(add.remediationItems.filter((i) => taken.has(i.activityId ?? '')))],
  )
  return true
}

/** Links requests to tasks; returns the requests linked now (not already in a task). */
async function linkActivities(
  db: Db,
  links: readonly { workItemId: string; activityId: string; position: number }[],
): Promise<Set<string>> {
  if (links.length === 0) return new Set()
  const rows = await db.query<{ activity_id: string }>(
    `INSERT INTO work_item_activities (activity_id, work_item_id, position)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
     ON CONFLICT (activity_id) DO NOTHING RETURNING activity_id`,
    [links.map((l) => l.activityId), links.map((l) => l.workItemId), links.map((l) => l.position)],
  )
  return new Set(rows.map((r) => r.activity_id))
}

/** The requests a task covers, read after its row was locked (a task being closed). */
export async function workItemActivityIds(db: Db, id: string): Promise<string[]> {
  const rows = await db.query<{ activity_id: string }>(
    'SELECT activity_id FROM work_item_activities WHERE work_item_id = $1 ORDER BY position',
    [id],
  )
  return rows.map((r) => r.activity_id)
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

/**
 * The conditions of a filter, only those it sets: a catch-all (`$1 IS NULL OR owner = $1`) leaves the
 * planner no index to use, and a status page's lookup of its activities' tasks read the whole table.
 * Manual tasks only: approvals (type Approval, store/approvals.ts) share the table.
 */
function workItemWhere(filter: WorkItemFilter): WhereClauses {
  const w = new WhereClauses().add("type = 'ManualAction'")
  if (filter.owner !== undefined) w.add('owner = ?', filter.owner)
  if (filter.owners !== undefined) w.add('owner = ANY(?::text[])', filter.owners)
  if (filter.states !== undefined) w.add('state = ANY(?::text[])', filter.states)
  else if (filter.state !== 'all') w.add('state = ?', filter.state ?? 'Pending')
  if (filter.id !== undefined) w.add('id = ?', filter.id)
  if (filter.activityIds !== undefined) {
    w.add(
      'id IN (SELECT work_item_id FROM work_item_activities WHERE activity_id = ANY(?::text[]))',
      filter.activityIds,
    )
  }
  return w
}

/** How many work items match a filter. */
export async function countWorkItems(db: Db, filter: WorkItemFilter = {}): Promise<number> {
  const w = workItemWhere(filter)
  return countRows(db, `FROM work_items ${w.sql()}`, w.params)
}

/** Work items in creation order (or a page's order). */
export async function listWorkItems(
  db: Db,
  filter: WorkItemFilter = {},
  page?: Page<WorkItemSortField>,
): Promise<WorkItem[]> {
  const w = workItemWhere(filter)
  const params = w.params
  const order = orderClause(page?.sort, WORK_ITEM_COLUMNS, 'id', 'id')
  const rows = await selectTuples<Row>(
    db,
    COLUMNS,
    `FROM (SELECT * FROM work_items ${w.sql()} ${order}${limitClause(page, params)}) AS page`,
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
      activityIds,
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
      activityIds,
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
    // Secrets are sealed to a task of one request (a Create's).
    `FROM work_items WHERE state = 'Pending' AND secrets IS NOT NULL AND activity_id IS NOT NULL`,
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
