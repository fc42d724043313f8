import type { ApproverType } from '../domain/requests/approval-chain.js'
import type { Approval, ApprovalStatus, WorkItemEvent } from '../domain/requests/approval.js'
import { newId } from '../domain/new-id.js'
import { selectJsonRows, type Db } from './db.js'
import { iso, isoOrNull } from './iso-time.js'
import { WhereClauses } from './where-clauses.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

/** Approvals are work items of type `Approval` (store/work-items.ts holds the manual tasks of the same table). */
interface Row {
  id: string
  request_item_id: string
  step: number
  scheme: ApproverType
  owner: string | null
  owner_group: string | null
  original_owner: string | null
  state: 'Pending' | 'Finished' | 'Rejected' | 'Canceled'
  decided_by: string | null
  comment: string | null
  reminders: number
  last_reminded: string | Date | null
  escalated: string | Date | null
  created: string | Date
  modified: string | Date | null
  completed: string | Date | null
}

const STATUS: Record<Row['state'], ApprovalStatus> = {
  Pending: 'PENDING',
  Finished: 'APPROVED',
  Rejected: 'REJECTED',
  Canceled: 'CANCELLED',
}
const STATE: Record<ApprovalStatus, Row['state']> = {
  PENDING: 'Pending',
  APPROVED: 'Finished',
  REJECTED: 'Rejected',
  CANCELLED: 'Canceled',
}

function toApproval(r: Row): Approval {
  return {
    id: r.id,
    requestItemId: r.request_item_id,
    step: r.step,
    scheme: r.scheme,
    owner: r.owner,
    ownerGroup: r.owner_group,
    originalOwner: r.original_owner,
    status: STATUS[r.state],
    decidedBy: r.decided_by,
    comment: r.comment,
    reminders: r.reminders,
    lastReminded: isoOrNull(r.last_reminded),
    escalated: isoOrNull(r.escalated),
    created: iso(r.created),
    modified: iso(r.modified ?? r.created),
    completed: isoOrNull(r.completed),
  }
}

const COLUMNS = `id, request_item_id, step, scheme, owner, owner_group, original_owner, state, decided_by, comment,
  reminders, last_reminded, escalated, created, modified, completed`

export interface NewApproval {
  readonly requestItemId: string
  readonly step: number
  readonly scheme: ApproverType
  readonly owner: string | null
  readonly ownerGroup: string | null
  readonly description: string
}

/** Pending approvals, each with its CREATED event, in two statements however many; their ids, in order. */
export async function insertApprovals(
  db: Db,
  approvals: readonly NewApproval[],
  now: Date,
): Promise<string[]> {
  if (approvals.length === 0) return []
  const ids = approvals.map(() => newId())
  const at = now.toISOString()
  await db.query(
    `INSERT INTO work_items (id, type, state, owner, owner_group, original_owner, request_item_id, step, scheme,
       description, created, modified)
     SELECT u.id, 'Approval', 'Pending', u.owner, u.owner_group, u.owner, u.item, u.step, u.scheme, u.description,
       $8, $8
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[])
       AS u(id, owner, owner_group, item, step, scheme, description)`,
    [
      ids,
      approvals.map((a) => a.owner),
      approvals.map((a) => a.ownerGroup),
      approvals.map((a) => a.requestItemId),
      approvals.map((a) => a.step),
      approvals.map((a) => a.scheme),
      approvals.map((a) => a.description),
      at,
    ],
  )
  await insertWorkItemEvents(
    db,
    approvals.map((a, i) => ({
      workItemId: ids[i] as string,
      at,
      actor: null,
      action: 'CREATED' as const,
      fromOwner: null,
      toOwner: a.owner ?? a.ownerGroup,
      comment: null,
    })),
  )
  return ids
}

/** An approval decided without anyone acting: the requester approves their own step (auto-approval). */
export async function insertAutoApproval(db: Db, a: NewApproval, by: string, now: Date): Promise<string> {
  const id = newId()
  await db.query(
    `INSERT INTO work_items (id, type, state, owner, owner_group, original_owner, request_item_id, step, scheme,
       description, decided_by, created, modified, completed)
     VALUES ($1, 'Approval', 'Finished', $2, $3, $2, $4, $5, $6, $7, $8, $9, $9, $9)`,
    [id, a.owner, a.ownerGroup, a.requestItemId, a.step, a.scheme, a.description, by, now.toISOString()],
  )
  await insertWorkItemEvent(db, {
    workItemId: id,
    at: now.toISOString(),
    actor: by,
    action: 'AUTO_APPROVED',
    fromOwner: null,
    toOwner: a.owner ?? a.ownerGroup,
    comment: 'approved automatically: the requester is the approver',
  })
  return id
}

export interface ApprovalFilter {
  readonly ids?: readonly string[]
  readonly requestItemIds?: readonly string[]
  /** Assigned to one of these identities, or held by one of these groups. */
  readonly owners?: readonly string[]
  readonly groups?: readonly string[]
  readonly statuses?: readonly ApprovalStatus[]
  /** Decided by this identity (completed approvals). */
  readonly decidedBy?: string
}

export type ApprovalSortField = 'created' | 'modified'
const SORT: Record<ApprovalSortField, string> = { created: 'created', modified: 'modified' }

function where(filter: ApprovalFilter): { sql: string; params: unknown[] } {
  const w = new WhereClauses()
  w.conditions.push(`type = 'Approval'`)
  if (filter.ids) w.add('id = ANY(?::text[])', filter.ids)
  if (filter.requestItemIds) w.add('request_item_id = ANY(?::text[])', filter.requestItemIds)
  const owners = filter.owners ?? []
  const groups = filter.groups ?? []
  // One condition where one will do: a person's pending approvals are then read from their index in order.
  // One owner is compared with `=`: an ANY, even of one, does not read the index in its order.
  if (groups.length === 0 && owners.length === 1) w.add('owner = ?', owners[0])
  else if (groups.length === 0 && filter.owners) w.add('owner = ANY(?::text[])', owners)
  else if (owners.length === 0 && filter.groups) w.add('owner_group = ANY(?::text[])', groups)
  else if (filter.owners || filter.groups) {
    w.params.push(owners, groups)
    const n = w.params.length
    w.conditions.push(`(owner = ANY($${n - 1}::text[]) OR owner_group = ANY($${n}::text[]))`)
  }
  if (filter.statuses?.length === 1) w.add('state = ?', STATE[filter.statuses[0] as ApprovalStatus])
  else if (filter.statuses) {
    w.add(
      'state = ANY(?::text[])',
      filter.statuses.map((s) => STATE[s]),
    )
  }
  if (filter.decidedBy !== undefined) w.add('decided_by = ?', filter.decidedBy)
  return { sql: w.sql(), params: w.params }
}

export async function listApprovals(
  db: Db,
  filter: ApprovalFilter,
  page?: Page<ApprovalSortField>,
): Promise<Approval[]> {
  const { sql, params } = where(filter)
  const order = orderClause(page?.sort, SORT, 'created, id', 'id')
  const rows = await selectJsonRows<Row>(
    db,
    `SELECT ${COLUMNS} FROM work_items ${sql} ${order}${limitClause(page, params)}`,
    params,
    order,
  )
  return rows.map(toApproval)
}

export async function countApprovals(db: Db, filter: ApprovalFilter): Promise<number> {
  const { sql, params } = where(filter)
  return countRows(db, `FROM work_items ${sql}`, params)
}

/** Closes a pending approval with a decision; false when it was no longer pending (someone else decided). */
export async function closeApproval(
  db: Db,
  id: string,
  status: 'APPROVED' | 'REJECTED' | 'CANCELLED',
  by: string | null,
  comment: string | null,
  now: Date,
): Promise<boolean> {
  return (await closeApprovals(db, [id], status, by, comment, now)).length === 1
}

/** closeApproval for several at once: the ids it closed (those still pending). */
export async function closeApprovals(
  db: Db,
  ids: readonly string[],
  status: 'APPROVED' | 'REJECTED' | 'CANCELLED',
  by: string | null,
  comment: string | null,
  now: Date,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE work_items SET state = $2, decided_by = $3, comment = $4, completed = $5, modified = $5
     WHERE id = ANY($1::text[]) AND type = 'Approval' AND state = 'Pending' RETURNING id`,
    [ids, STATE[status], by, comment, now.toISOString()],
  )
  return rows.map((r) => r.id)
}

/** Gives a pending approval to another identity (a forward, an escalation); false when it was not pending. */
export async function reassignApproval(
  db: Db,
  id: string,
  owner: string,
  now: Date,
  options: { escalated?: boolean } = {},
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE work_items SET owner = $2, owner_group = NULL, modified = $3, reminders = 0, last_reminded = NULL
       ${options.escalated ? ', escalated = $3' : ''}
     WHERE id = $1 AND type = 'Approval' AND state = 'Pending' RETURNING id`,
    [id, owner, now.toISOString()],
  )
  return rows.length === 1
}

/** Records a reminder sent; false when the approval was decided meanwhile or another process reminded. */
export async function markReminded(db: Db, id: string, reminders: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE work_items SET reminders = $2 + 1, last_reminded = $3
     WHERE id = $1 AND type = 'Approval' AND state = 'Pending' AND reminders = $2 RETURNING id`,
    [id, reminders, now.toISOString()],
  )
  return rows.length === 1
}

export async function insertWorkItemEvent(db: Db, e: WorkItemEvent): Promise<void> {
  await insertWorkItemEvents(db, [e])
}

/** Events of work items' histories, in one statement. */
export async function insertWorkItemEvents(db: Db, events: readonly WorkItemEvent[]): Promise<void> {
  if (events.length === 0) return
  const column = <K extends keyof WorkItemEvent>(k: K): WorkItemEvent[K][] => events.map((e) => e[k])
  await db.query(
    `INSERT INTO work_item_events (id, work_item_id, at, actor, action, from_owner, to_owner, comment)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[],
       $7::text[], $8::text[])`,
    [
      events.map(() => newId()),
      column('workItemId'),
      column('at'),
      column('actor'),
      column('action'),
      column('fromOwner'),
      column('toOwner'),
      column('comment'),
    ],
  )
}

/** The events of these work items, oldest first; only the actions named, when some are. */
export async function listWorkItemEvents(
  db: Db,
  workItemIds: readonly string[],
  actions?: readonly WorkItemEvent['action'][],
): Promise<WorkItemEvent[]> {
  if (workItemIds.length === 0) return []
  const params: unknown[] = [workItemIds]
  if (actions !== undefined) params.push(actions)
  const rows = await selectJsonRows<{
    work_item_id: string
    at: string
    actor: string | null
    action: WorkItemEvent['action']
    from_owner: string | null
    to_owner: string | null
    comment: string | null
  }>(
    db,
    `SELECT id, work_item_id, at, actor, action, from_owner, to_owner, comment FROM work_item_events
     WHERE work_item_id = ANY($1::text[])${actions !== undefined ? ' AND action = ANY($2::text[])' : ''}`,
    params,
    'ORDER BY at, id',
  )
  return rows.map((r) => ({
    workItemId: r.work_item_id,
    at: iso(r.at),
    actor: r.actor,
    action: r.action,
    fromOwner: r.from_owner,
    toOwner: r.to_owner,
    comment: r.comment,
  }))
}
