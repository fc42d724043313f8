import type { ReviewItemType } from '../domain/certifications/review-items.js'
import type { CheckedFilter } from '../domain/query/check-filters.js'
import type { Db } from './db.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'
import { WhereClauses } from './where-clauses.js'

/**
 * The id an item's access is known by outside the campaign: the catalog's id for an entitlement (the
 * item keeps the planner's key), the item's own otherwise. Used where a listing filters or groups on it.
 */
export const ACCESS_ID_SQL = `CASE WHEN ci.item_type = 'ENTITLEMENT' THEN coalesce(
  (SELECT e.id FROM entitlements e
   WHERE e.source_id = ci.source_id AND e.attribute = ci.attribute AND e.value = ci.value), ci.item_id)
  ELSE ci.item_id END`

/** Decisions made and to make, and how they went, per kind of access: the reference's decision summary. */
export interface DecisionCounts {
  readonly itemType: ReviewItemType
  readonly total: number
  readonly approved: number
  readonly revoked: number
}

/** Counts of a certification's items by kind and decision, for some of its identities or all. */
export async function certificationDecisionCounts(
  db: Db,
  certificationId: string,
  expression?: CheckedFilter<'identitySummary.id'>,
): Promise<DecisionCounts[]> {
  const w = new WhereClauses().add('ci.certification_id = ?', certificationId)
  w.filter(expression, { 'identitySummary.id': 'ci.identity_id' })
  const rows = await db.query<{
    item_type: ReviewItemType
    total: number
    approved: number
    revoked: number
  }>(
    `SELECT ci.item_type, count(*)::int AS total,
       (count(*) FILTER (WHERE ci.decision = 'APPROVE'))::int AS approved,
       (count(*) FILTER (WHERE ci.decision = 'REVOKE'))::int AS revoked
     FROM certification_items ci ${w.sql()} GROUP BY ci.item_type`,
    w.params,
  )
  return rows.map((r) => ({
    itemType: r.item_type,
    total: Number(r.total),
    approved: Number(r.approved),
    revoked: Number(r.revoked),
  }))
}

/** An identity reviewed in a certification: done when every one of its items is decided. */
export interface IdentitySummary {
  readonly identityId: string
  readonly name: string
  readonly completed: boolean
}
export type IdentitySummaryField = 'id' | 'name' | 'completed'

/**
 * The identities a certification reviews, a page at a time, with whether each is done. A role composition
 * campaign's subjects are roles, named by `subjectNames` (by id): the store knows identities only.
 */
export async function certificationIdentitySummaries(
  db: Db,
  certificationId: string,
  expression?: CheckedFilter<IdentitySummaryField>,
  page?: Page<'name'>,
  subjectNames?: ReadonlyMap<string, string>,
): Promise<{ rows: IdentitySummary[]; total: number }> {
  // The inner query's parameters come first ($1, and $2 the subjects' names); the filter's after them.
  const w = new WhereClauses()
  w.params.push(certificationId)
  let name = 'i.name'
  if (subjectNames !== undefined) {
    w.params.push(JSON.stringify(Object.fromEntries(subjectNames)))
    name = `coalesce($2::json ->> s.identity_id, i.name)`
  }
  w.filter(expression, { id: 't.identity_id', name: 't.name', completed: 't.completed' })
  const params = [...w.params]
  const from = `FROM (SELECT s.identity_id, ${name} AS name, s.completed
      FROM (SELECT ci.identity_id, bool_and(ci.decision IS NOT NULL) AS completed
        FROM certification_items ci WHERE ci.certification_id = $1 GROUP BY ci.identity_id) AS s
      ${subjectNames !== undefined ? 'LEFT ' : ''}JOIN identities i ON i.id = s.identity_id) AS t ${w.sql()}`
  const order = orderClause(page?.sort, { name: 't.name' }, 't.name, t.identity_id', 't.identity_id')
  const countParams = [...params]
  const rows = await db.query<{ identity_id: string; name: string; completed: boolean }>(
    `SELECT t.identity_id, t.name, t.completed ${from} ${order}${limitClause(page, params)}`,
    params,
  )
  return {
    rows: rows.map((r) => ({ identityId: r.identity_id, name: r.name, completed: r.completed })),
    total: await countRows(db, from, countParams),
  }
}

/** One access reviewed in a certification, across the identities holding it. */
export interface AccessSummary {
  readonly itemType: ReviewItemType
  readonly accessId: string
  readonly name: string
  readonly sourceId: string | null
  readonly sourceName: string | null
  readonly attribute: string | null
  readonly value: string | null
  /** Revocable for every identity holding it. */
  readonly revocable: boolean
  /** Decided for every identity holding it. */
  readonly completed: boolean
  /** How many identities hold it here. */
  readonly identities: number
}
export type AccessSummaryField =
  'completed' | 'access.id' | 'access.name' | 'entitlement.sourceName' | 'accessProfile.sourceName'
const ACCESS_SUMMARY_COLUMNS: Record<AccessSummaryField, string> = {
  completed: 's.completed',
  'access.id': 's.access_id',
  'access.name': 's.item_name',
  'entitlement.sourceName': 'src.name',
  'accessProfile.sourceName': 'src.name',
}

/** The distinct access of one kind a certification reviews, a page at a time. */
export async function certificationAccessSummaries(
  db: Db,
  certificationId: string,
  itemType: Exclude<ReviewItemType, 'ACCOUNT'>,
  expression?: CheckedFilter<AccessSummaryField>,
  page?: Page<'name'>,
): Promise<{ rows: AccessSummary[]; total: number }> {
  const w = new WhereClauses()
  w.params.push(certificationId, itemType)
  w.filter(expression, ACCESS_SUMMARY_COLUMNS)
  const params = [...w.params]
  const conditions = w.sql()
  const from = `FROM (SELECT ${ACCESS_ID_SQL} AS access_id, ci.item_name, ci.source_id, ci.attribute, ci.value,
        bool_and(ci.revocable) AS revocable, bool_and(ci.decision IS NOT NULL) AS completed,
        count(DISTINCT ci.identity_id)::int AS identities
      FROM certification_items ci WHERE ci.certification_id = $1 AND ci.item_type = $2
      GROUP BY 1, ci.item_name, ci.source_id, ci.attribute, ci.value) AS s
    LEFT JOIN sources src ON src.id = s.source_id ${conditions}`
  const order = orderClause(page?.sort, { name: 's.item_name' }, 's.item_name, s.access_id', 's.access_id')
  const countParams = [...params]
  const rows = await db.query<{
    access_id: string
    item_name: string
    source_id: string | null
    source_name: string | null
    attribute: string | null
    value: string | null
    revocable: boolean
    completed: boolean
    identities: number
  }>(
    `SELECT s.access_id, s.item_name, s.source_id, src.name AS source_name, s.attribute, s.value,
       s.revocable, s.completed, s.identities ${from} ${order}${limitClause(page, params)}`,
    params,
  )
  return {
    rows: rows.map((r) => ({
      itemType,
      accessId: r.access_id,
      name: r.item_name,
      sourceId: r.source_id,
      sourceName: r.source_name,
      attribute: r.attribute,
      value: r.value,
      revocable: r.revocable,
      completed: r.completed,
      identities: Number(r.identities),
    })),
    total: await countRows(db, from, countParams),
  }
}
