import type { Identity } from '../domain/model.js'
import type { CheckedFilter } from '../domain/query/check-filters.js'
import { batches, selectJsonRows, type Db } from './db.js'
import { filterSql } from './filter-sql.js'
import { iso } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

interface DbIdentityRow {
  id: string
  name: string
  identity_profile: string
  attributes: Record<string, string | null>
  lifecycle_state: string | null
  manager_id: string | null
  manager_name: string | null
  authoritative_account_removed: string | Date | null
  processing_state: 'OK' | 'ERROR'
  processing_error: string | null
  created: string | Date
  modified: string | Date
}

const SELECT = `SELECT i.id, i.name, i.identity_profile, i.attributes, i.lifecycle_state, i.manager_id,
  m.name AS manager_name, i.authoritative_account_removed, i.processing_state, i.processing_error, i.created, i.modified
  FROM identities i LEFT JOIN identities m ON m.id = i.manager_id`

/** What identities can be filtered by. */
export interface IdentityFilter {
  /** Names starting with this text. */
  readonly nameStartsWith?: string
  /** A v3 `filters` expression, checked against the identity listing's fields. */
  readonly expression?: CheckedFilter<IdentityFilterField>
}

/** The fields a `filters` expression on identities can name, and the SQL each reads. */
export type IdentityFilterField =
  | 'id'
  | 'name'
  | 'alias'
  | 'email'
  | 'firstname'
  | 'lastname'
  | 'lifecycleState'
  | 'managerId'
  | 'processingState'
  | 'created'
  | 'modified'
const IDENTITY_FILTER_COLUMNS: Record<IdentityFilterField, string> = {
  id: 'i.id',
  // The reference's alias is the identity's unique name (its uid); Provisio's name is that uid.
  name: 'i.name',
  alias: 'i.name',
  email: "(i.attributes->>'email')",
  firstname: "(i.attributes->>'firstname')",
  lastname: "(i.attributes->>'lastname')",
  lifecycleState: 'i.lifecycle_state',
  managerId: 'i.manager_id',
  processingState: 'i.processing_state',
  created: 'i.created',
  modified: 'i.modified',
}

/** The fields identity listings sort by. */
export type IdentitySortField = 'name' | 'created' | 'modified' | 'id'
const IDENTITY_COLUMNS: Record<IdentitySortField, string> = {
  name: 'i.name',
  created: 'i.created',
  modified: 'i.modified',
  id: 'i.id',
}

/** Identities by name (or a page's order). */
export async function listIdentities(
  db: Db,
  filter: IdentityFilter = {},
  page?: Page<IdentitySortField>,
): Promise<Identity[]> {
  const params: unknown[] = []
  const where = identityWhere(filter, params)
  const order = orderClause(page?.sort, IDENTITY_COLUMNS, 'i.name, i.id', 'i.id')
  const rows = await db.query<DbIdentityRow>(
    `${SELECT} ${where} ${order}${limitClause(page, params)}`,
    params,
  )
  return rows.map(toIdentity)
}

/** How many identities match a filter. */
export async function countIdentities(db: Db, filter: IdentityFilter = {}): Promise<number> {
  const params: unknown[] = []
  return await countRows(db, `FROM identities i ${identityWhere(filter, params)}`, params)
}

function identityWhere(filter: IdentityFilter, params: unknown[]): string {
  const where: string[] = []
  if (filter.nameStartsWith !== undefined) {
    params.push(filter.nameStartsWith.replace(/[\\%_]/g, (c) => `\\${c}`) + '%')
    where.push(`i.name LIKE $${params.length}`)
  }
  if (filter.expression !== undefined) {
    const expression = filterSql(filter.expression, IDENTITY_FILTER_COLUMNS, params.length + 1)
    params.push(...expression.params)
    where.push(expression.sql)
  }
  return where.length ? 'WHERE ' + where.join(' AND ') : ''
}

/** Identities in id order after `afterId`: the pages a plan of every identity walks through. */
export async function listIdentityPage(db: Db, afterId: string, limit: number): Promise<Identity[]> {
  const rows = await selectJsonRows<DbIdentityRow>(
    db,
    `${SELECT} WHERE i.id > $1 ORDER BY i.id LIMIT $2`,
    [afterId, limit],
    'ORDER BY id',
  )
  return rows.map(toIdentity)
}

export async function loadIdentitiesById(db: Db, ids: readonly string[]): Promise<Identity[]> {
  const out: Identity[] = []
  for (const batch of batches(ids)) {
    const rows = await selectJsonRows<DbIdentityRow>(
      db,
      `${SELECT} WHERE i.id = ANY($1::text[])`,
      [batch],
      'ORDER BY id',
    )
    out.push(...rows.map(toIdentity))
  }
  return out
}

/** The names of the identities with these ids, without their attributes (for reasons and messages). */
export async function loadIdentityNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM identities WHERE id = ANY($1::text[])',
    [ids],
  )
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** Finds an identity by id or name. */
export async function findIdentity(db: Db, idOrName: string): Promise<Identity | undefined> {
  const rows = await db.query<DbIdentityRow>(
    `${SELECT} WHERE i.id = $1 OR i.name = $1 ORDER BY (i.id = $1) DESC LIMIT 1`,
    [idOrName],
  )
  return rows[0] ? toIdentity(rows[0]) : undefined
}

export async function loadIdentityAttributesById(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, Record<string, string | null>>> {
  const out = new Map<string, Record<string, string | null>>()
  for (const batch of batches(ids)) {
    const rows = await db.query<{ id: string; attributes: Record<string, string | null> }>(
      'SELECT id, attributes FROM identities WHERE id = ANY($1::text[])',
      [batch],
    )
    for (const r of rows) out.set(r.id, r.attributes)
  }
  return out
}

function toIdentity(r: DbIdentityRow): Identity {
  return {
    id: r.id,
    name: r.name,
    identityProfile: r.identity_profile,
    attributes: r.attributes,
    lifecycleState: r.lifecycle_state,
    managerId: r.manager_id,
    managerName: r.manager_name,
    authoritativeAccountRemoved:
      r.authoritative_account_removed === null ? null : iso(r.authoritative_account_removed),
    processingState: r.processing_state,
    processingError: r.processing_error,
    created: iso(r.created),
    modified: iso(r.modified),
  }
}

/** The ids of the identities these keys name, each key (an id, else a name) to its identity's id. */
export async function identityIdsByKey(db: Db, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const batch of batches(keys)) {
    const rows = await db.query<{ id: string; name: string }>(
      'SELECT id, name FROM identities WHERE id = ANY($1::text[]) OR name = ANY($1::text[])',
      [batch],
    )
    // A name never shadows an id: an id is unique, a key that is both is taken as the id.
    for (const r of rows) if (!out.has(r.name)) out.set(r.name, r.id)
    for (const r of rows) out.set(r.id, r.id)
  }
  return out
}

/** Which of these ids or names belong to an identity, and whether the store holds any identity at all. */
export async function findIdentityKeys(
  db: Db,
  keys: readonly string[],
): Promise<{ readonly found: Set<string>; readonly any: boolean }> {
  const found = new Set((await identityIdsByKey(db, keys)).keys())
  const any = found.size > 0 || (await db.query('SELECT 1 FROM identities LIMIT 1')).length > 0
  return { found, any }
}

/** The attributes of the identities with these names (`getReferenceIdentityAttribute` names them by uid). */
export async function loadIdentityAttributesByName(
  db: Db,
  names: readonly string[],
): Promise<Map<string, Record<string, string | null>>> {
  const rows = await db.query<{ name: string; attributes: Record<string, string | null> }>(
    'SELECT name, attributes FROM identities WHERE name = ANY($1::text[])',
    [names],
  )
  return new Map(rows.map((r) => [r.name, r.attributes]))
}
