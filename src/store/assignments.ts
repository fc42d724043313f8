import type {
  AssignedItemType,
  Assignment,
  AssignmentOrigin,
  PlanAssignment,
} from '../domain/plan/assignment.js'
import { newId } from '../domain/new-id.js'
import { iso } from './iso-time.js'
import { batches, selectJsonRows, type Db } from './db.js'

interface AssignmentRow {
  id: string
  identity_id: string
  item_type: AssignedItemType
  item_id: string
  item_name: string
  origin: AssignmentOrigin
  start_date: string | Date | null
  remove_date: string | Date | null
  request_id: string | null
  campaign_id: string | null
  native_identity: string | null
  created_by: string | null
  created: string | Date
  modified: string | Date
  // An entitlement's parts, from the stored entitlement (null when it is gone, or for other items).
  e_source_id: string | null
  e_attribute: string | null
  e_value: string | null
}

const SELECT = `SELECT a.*, e.source_id AS e_source_id, e.attribute AS e_attribute, e.value AS e_value
  FROM assignments a LEFT JOIN entitlements e ON a.item_type = 'ENTITLEMENT' AND e.id = a.item_id`

/** A new assignment, as the engine writes it. */
export interface NewAssignment {
  readonly identityId: string
  readonly itemType: AssignedItemType
  readonly itemId: string
  readonly itemName: string
  readonly origin: AssignmentOrigin
  readonly startDate: string | null
  readonly removeDate: string | null
  readonly requestId?: string | null
  readonly campaignId?: string | null
  readonly nativeIdentity?: string | null
  readonly createdBy: string | null
}

/**
 * Records an assignment. An administrator's assignment of an item the identity was already given by
 * hand replaces that one's dates (there is one per identity and item); other origins always add one.
 */
export async function saveAssignment(db: Db, a: NewAssignment): Promise<Assignment> {
  const values = [
    a.identityId,
    a.itemType,
    a.itemId,
    a.itemName,
    a.origin,
    a.startDate,
    a.removeDate,
    a.requestId ?? null,
    a.campaignId ?? null,
    a.createdBy,
    a.nativeIdentity ?? null,
  ]
  const rows = await db.query<{ id: string }>(
    `INSERT INTO assignments (id, identity_id, item_type, item_id, item_name, origin, start_date, remove_date,
       request_id, campaign_id, created_by, native_identity)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (identity_id, item_type, item_id) WHERE origin = 'ADMIN'
     DO UPDATE SET start_date = excluded.start_date, remove_date = excluded.remove_date,
       item_name = excluded.item_name, created_by = excluded.created_by, modified = now()
     RETURNING id`,
    [newId(), ...values],
  )
  return (await findAssignment(db, (rows[0] as { id: string }).id)) as Assignment
}

/**
 * Records assignments of an origin other than ADMIN (which saveAssignment merges by identity and item), in
 * one statement however many; their ids, in order.
 */
export async function insertAssignments(db: Db, list: readonly NewAssignment[]): Promise<string[]> {
  if (list.some((a) => a.origin === 'ADMIN')) {
    throw new Error('insertAssignments: ADMIN assignments use saveAssignment')
  }
  if (list.length === 0) return []
  const ids = list.map(() => newId())
  const column = <K extends keyof NewAssignment>(k: K) => list.map((a) => a[k] ?? null)
  await db.query(
    `INSERT INTO assignments (id, identity_id, item_type, item_id, item_name, origin, start_date, remove_date,
       request_id, campaign_id, created_by, native_identity)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
       $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[])`,
    [
      ids,
      column('identityId'),
      column('itemType'),
      column('itemId'),
      column('itemName'),
      column('origin'),
      column('startDate'),
      column('removeDate'),
      column('requestId'),
      column('campaignId'),
      column('createdBy'),
      column('nativeIdentity'),
    ],
  )
  return ids
}

export async function findAssignment(db: Db, id: string): Promise<Assignment | undefined> {
  const rows = await db.query<AssignmentRow>(`${SELECT} WHERE a.id = $1`, [id])
  return rows[0] ? toAssignment(rows[0]) : undefined
}

/** The assignment of an item to an identity from one origin (an administrator's is unique). */
export async function findAssignmentOf(
  db: Db,
  identityId: string,
  item: { readonly type: AssignedItemType; readonly id: string },
  origin: AssignmentOrigin,
): Promise<Assignment | undefined> {
  const rows = await db.query<AssignmentRow>(
    `${SELECT} WHERE a.identity_id = $1 AND a.item_type = $2 AND a.item_id = $3 AND a.origin = $4
     ORDER BY a.id LIMIT 1`,
    [identityId, item.type, item.id, origin],
  )
  return rows[0] ? toAssignment(rows[0]) : undefined
}

export async function deleteAssignment(db: Db, id: string): Promise<void> {
  await db.query('DELETE FROM assignments WHERE id = $1', [id])
}

/** An identity's assignments, oldest first. */
export async function listAssignments(db: Db, identityId: string): Promise<Assignment[]> {
  const rows = await db.query<AssignmentRow>(`${SELECT} WHERE a.identity_id = $1 ORDER BY a.created, a.id`, [
    identityId,
  ])
  return rows.map(toAssignment)
}

/** The assignments of some identities, as the planner reads them; identities without any are absent. */
export function loadPlanAssignments(
  db: Db,
  identityIds: readonly string[],
): Promise<Map<string, PlanAssignment[]>> {
  return assignmentsOf(db, identityIds)
}

/** Several identities' assignments, each's oldest first; identities without any are absent. */
export async function assignmentsOf(
  db: Db,
  identityIds: readonly string[],
): Promise<Map<string, Assignment[]>> {
  const out = new Map<string, Assignment[]>()
  for (const batch of batches(identityIds)) {
    const rows = await selectJsonRows<AssignmentRow>(
      db,
      `${SELECT} WHERE a.identity_id = ANY($1::text[])`,
      [batch],
      'ORDER BY identity_id, created, id',
    )
    for (const r of rows) {
      const list = out.get(r.identity_id)
      if (list) list.push(toAssignment(r))
      else out.set(r.identity_id, [toAssignment(r)])
    }
  }
  return out
}

/** Identities with an assignment that starts or ends in (after, until]: their access changes by the clock. */
export async function identitiesWithDatesBetween(db: Db, after: string, until: string): Promise<string[]> {
  const rows = await db.query<{ identity_id: string }>(
    `SELECT identity_id FROM assignments WHERE start_date > $1 AND start_date <= $2
     UNION SELECT identity_id FROM assignments WHERE remove_date > $1 AND remove_date <= $2`,
    [after, until],
  )
  return rows.map((r) => r.identity_id)
}

function toAssignment(r: AssignmentRow): Assignment {
  return {
    id: r.id,
    identityId: r.identity_id,
    origin: r.origin,
    itemType: r.item_type,
    itemId: r.item_id,
    itemName: r.item_name,
    ...(r.e_source_id !== null && r.e_attribute !== null && r.e_value !== null
      ? { entitlement: { sourceId: r.e_source_id, attribute: r.e_attribute, value: r.e_value } }
      : {}),
    startDate: r.start_date === null ? null : iso(r.start_date),
    removeDate: r.remove_date === null ? null : iso(r.remove_date),
    ...(r.native_identity !== null ? { nativeIdentity: r.native_identity } : {}),
    requestId: r.request_id,
    campaignId: r.campaign_id,
    createdBy: r.created_by,
    created: iso(r.created),
    modified: iso(r.modified),
  }
}

/** Changes an assignment's dates (a new request's sunset, or its removal); false when it is gone. */
export async function setAssignmentDates(
  db: Db,
  id: string,
  dates: { readonly startDate: string | null; readonly removeDate: string | null },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE assignments SET start_date = $2, remove_date = $3, modified = now() WHERE id = $1 RETURNING id`,
    [id, dates.startDate, dates.removeDate],
  )
  return rows.length === 1
}

/** Where assignments came from: the access request, who asked and who approved it (for reviewers). */
export async function requestOriginsOf(
  db: Db,
  assignmentIds: readonly string[],
): Promise<Map<string, { requestId: string; requester: string | null; approvers: string[] }>> {
  if (assignmentIds.length === 0) return new Map()
  const rows = await db.query<{
    id: string
    request_id: string
    requester: string | null
    approvers: string[] | string
  }>(
    `SELECT r.assignment_id AS id, r.request_id, coalesce(r.requester_id, r.requester_client) AS requester,
       coalesce((SELECT json_agg(w.decided_by ORDER BY w.step) FROM work_items w
                 WHERE w.type = 'Approval' AND w.request_item_id = r.id AND w.state = 'Finished'
                   AND w.decided_by IS NOT NULL), '[]') AS approvers
     FROM access_requests r WHERE r.assignment_id = ANY($1::text[]) AND r.request_type = 'GRANT_ACCESS'`,
    [assignmentIds],
  )
  return new Map(
    rows.map((r) => [
      r.id,
      {
        requestId: r.request_id,
        requester: r.requester,
        approvers: typeof r.approvers === 'string' ? (JSON.parse(r.approvers) as string[]) : r.approvers,
      },
    ]),
  )
}

/** Removes assignments (a certification's revocations), in one statement. */
export async function deleteAssignments(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db.query('DELETE FROM assignments WHERE id = ANY($1::text[])', [ids])
}

/** Gives assignments a remove date (a revocation decided for later), in one statement. */
export async function endAssignmentsOn(
  db: Db,
  ends: readonly { id: string; removeDate: string }[],
): Promise<void> {
  if (ends.length === 0) return
  await db.query(
    `UPDATE assignments a SET remove_date = u.remove_date, modified = now()
     FROM unnest($1::text[], $2::timestamptz[]) AS u(id, remove_date)
     WHERE a.id = u.id AND (a.start_date IS NULL OR a.start_date < u.remove_date)`,
    [ends.map((e) => e.id), ends.map((e) => e.removeDate)],
  )
}
