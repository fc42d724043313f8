import type { Entitlement } from '../domain/model.js'
import type { CheckedFilter } from '../domain/query/check-filters.js'
import { newId } from '../domain/new-id.js'
import { entitlementKey } from '../domain/plan/entitlement-key.js'
import type { Db } from './db.js'
import { batches } from './db.js'
import { filterSql } from './filter-sql.js'
import { iso } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

/**
 * Records entitlements found in accounts' entitlement attributes or listed by a connector; known ones
 * keep their id, and take a display name the system gives. Returns how many were new.
 */
export async function addEntitlements(
  db: Db,
  sourceId: string,
  values: readonly { attribute: string; value: string; displayName?: string }[],
): Promise<number> {
  const existing = await db.query<{ attribute: string; value: string; display_name: string | null }>(
    'SELECT attribute, value, display_name FROM entitlements WHERE source_id = $1',
    [sourceId],
  )
  const key = (e: { attribute: string; value: string }): string =>
    entitlementKey(sourceId, e.attribute, e.value)
  const known = new Map(existing.map((e) => [key(e), e.display_name]))
  // The same entitlement may be both held by accounts and listed by the system: once, with its name.
  const unique = new Map<string, { attribute: string; value: string; displayName?: string }>()
  for (const v of values) {
    if (!unique.has(key(v)) || v.displayName !== undefined) unique.set(key(v), v)
  }
  const distinct = [...unique.values()]
  const fresh = distinct.filter((v) => !known.has(key(v)))
  const renamed = distinct.filter((v) => {
    const held = known.get(key(v))
    return held !== undefined && v.displayName !== undefined && held !== v.displayName
  })
  for (const batch of batches([...fresh, ...renamed])) {
    await db.query(
      `INSERT INTO entitlements (id, source_id, attribute, value, display_name)
       SELECT u.id, $1, u.attribute, u.value, coalesce(u.display_name, u.value)
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, attribute, value, display_name)
       ON CONFLICT (source_id, attribute, value) DO UPDATE SET display_name = excluded.display_name`,
      [
        sourceId,
        batch.map(() => newId()),
        batch.map((v) => v.attribute),
        batch.map((v) => v.value),
        batch.map((v) => v.displayName ?? null),
      ],
    )
  }
  return fresh.length
}

/** The fields entitlement listings sort by. */
export type EntitlementSortField = 'attribute' | 'value' | 'name' | 'created' | 'id'
const ENTITLEMENT_COLUMNS: Record<EntitlementSortField, string> = {
  attribute: 'e.attribute',
  value: 'e.value',
  name: 'e.display_name',
  created: 'e.created',
  id: 'e.id',
}

/** What entitlement listings can be filtered by. */
export interface EntitlementFilter {
  readonly sourceId?: string
  /** Entitlements held as these (attribute, value) pairs on `sourceId` (an account's). */
  readonly held?: readonly { readonly attribute: string; readonly value: string }[]
  /** Only those that may (true) or may not (false) be requested. */
  readonly requestable?: boolean
  /** A v3 `filters` expression, checked against the entitlement listing's fields. */
  readonly expression?: CheckedFilter<EntitlementFilterField>
}

/** The fields a `filters` expression on entitlements can name, and the SQL each reads. */
export type EntitlementFilterField =
  'id' | 'name' | 'attribute' | 'value' | 'source.id' | 'requestable' | 'created'
const ENTITLEMENT_FILTER_COLUMNS: Record<EntitlementFilterField, string> = {
  id: 'e.id',
  name: 'coalesce(e.display_name, e.value)',
  attribute: 'e.attribute',
  value: 'e.value',
  'source.id': 'e.source_id',
  requestable: 'e.requestable',
  created: 'e.created',
}

function entitlementWhere(filter: EntitlementFilter | string): { where: string; params: unknown[] } {
  const f: EntitlementFilter = typeof filter === 'string' ? { sourceId: filter } : filter
  const where: string[] = []
  const params: unknown[] = []
  if (f.sourceId !== undefined) {
    params.push(f.sourceId)
    where.push(`e.source_id = $${params.length}`)
  }
  if (f.requestable !== undefined) {
    params.push(f.requestable)
    where.push(`e.requestable = $${params.length}`)
  }
  if (f.held !== undefined) {
    params.push(
      f.held.map((h) => h.attribute),
      f.held.map((h) => h.value),
    )
    where.push(
      `(e.attribute, e.value) IN (SELECT * FROM unnest($${params.length - 1}::text[], $${params.length}::text[]))`,
    )
  }
  if (f.expression !== undefined) {
    const expression = filterSql(f.expression, ENTITLEMENT_FILTER_COLUMNS, params.length + 1)
    params.push(...expression.params)
    where.push(expression.sql)
  }
  return { where: where.length ? 'WHERE ' + where.join(' AND ') : '', params }
}

/** How many entitlements match a filter (a source id: that source's). */
export async function countEntitlements(db: Db, filter: EntitlementFilter | string): Promise<number> {
  const { where, params } = entitlementWhere(filter)
  return countRows(db, `FROM entitlements e ${where}`, params)
}

/** Entitlements matching a filter (a source id: that source's), by attribute and value (or a page's order). */
export async function listEntitlements(
  db: Db,
  filter: EntitlementFilter | string,
  page?: Page<EntitlementSortField>,
): Promise<Entitlement[]> {
  const { where, params } = entitlementWhere(filter)
  const order = orderClause(page?.sort, ENTITLEMENT_COLUMNS, 'e.attribute, e.value', 'e.id')
  const rows = await db.query<{
    id: string
    source_id: string
    source_name: string
    attribute: string
    value: string
    display_name: string | null
    requestable: boolean
    owner_id: string | null
    owner_name: string | null
    created: string | Date
    modified: string | Date | null
  }>(
    `SELECT e.id, e.source_id, s.name AS source_name, e.attribute, e.value, e.display_name, e.requestable,
            e.owner_id, o.name AS owner_name, e.created, e.modified
     FROM entitlements e JOIN sources s ON s.id = e.source_id LEFT JOIN identities o ON o.id = e.owner_id
     ${where} ${order}${limitClause(page, params)}`,
    params,
  )
  return rows.map((r) => ({
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name,
    attribute: r.attribute,
    value: r.value,
    displayName: r.display_name,
    requestable: r.requestable,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    created: iso(r.created),
    modified: iso(r.modified ?? r.created),
  }))
}

/** What can be changed of a stored entitlement: whether it can be requested, and its owner (an identity id). */
export interface EntitlementChange {
  readonly requestable?: boolean
  readonly ownerId?: string | null
}

/**
 * Changes an entitlement's requestability and owner, which aggregation never touches. Returns whether an
 * entitlement with this id exists.
 */
export async function updateEntitlement(
  db: Db,
  id: string,
  change: EntitlementChange,
  now: Date,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE entitlements SET
       requestable = CASE WHEN $2::boolean IS NULL THEN requestable ELSE $2::boolean END,
       owner_id = CASE WHEN $3::boolean THEN $4::text ELSE owner_id END,
       modified = $5
     WHERE id = $1 RETURNING id`,
    [id, change.requestable ?? null, change.ownerId !== undefined, change.ownerId ?? null, now.toISOString()],
  )
  return rows.length > 0
}

/** Stored entitlements by id (configuration may refer to one by id alone). */
export async function loadEntitlementsById(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { sourceId: string; attribute: string; value: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ id: string; source_id: string; attribute: string; value: string }>(
    'SELECT id, source_id, attribute, value FROM entitlements WHERE id = ANY($1::text[])',
    [ids],
  )
  return new Map(rows.map((r) => [r.id, { sourceId: r.source_id, attribute: r.attribute, value: r.value }]))
}

/** A stored entitlement by its identity (source, attribute, value). */
export async function findEntitlement(
  db: Db,
  sourceId: string,
  attribute: string,
  value: string,
): Promise<{ id: string; displayName: string | null } | undefined> {
  const rows = await db.query<{ id: string; display_name: string | null }>(
    'SELECT id, display_name FROM entitlements WHERE source_id = $1 AND attribute = $2 AND value = $3',
    [sourceId, attribute, value],
  )
  return rows[0] ? { id: rows[0].id, displayName: rows[0].display_name } : undefined
}

/**
 * The stored ids of entitlements named by their parts, keyed by entitlementKey: one statement for a page
 * of items. An entitlement not in the catalog has no entry.
 */
export async function entitlementIdsByKey(
  db: Db,
  refs: readonly { sourceId: string; attribute: string; value: string }[],
): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map()
  const rows = await db.query<{ id: string; source_id: string; attribute: string; value: string }>(
    `SELECT e.id, e.source_id, e.attribute, e.value
     FROM entitlements e
     JOIN unnest($1::text[], $2::text[], $3::text[]) AS r(source_id, attribute, value)
       ON e.source_id = r.source_id AND e.attribute = r.attribute AND e.value = r.value`,
    [refs.map((r) => r.sourceId), refs.map((r) => r.attribute), refs.map((r) => r.value)],
  )
  return new Map(rows.map((r) => [entitlementKey(r.source_id, r.attribute, r.value), r.id]))
}
