import type { Account, Attributes } from '../domain/model.js'
import type { CheckedFilter } from '../domain/query/check-filters.js'
import type { Db } from './db.js'
import { filterSql } from './filter-sql.js'
import { iso } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

export interface DbAccountRow {
  id: string
  source_id: string
  source_name: string
  native_identity: string
  display_name: string | null
  identity_id: string | null
  authoritative: boolean
  attributes: Attributes
  disabled: boolean
  locked: boolean
  manually_correlated: boolean
  created: string | Date
  modified: string | Date
}

const SELECT = `SELECT a.id, a.source_id, s.name AS source_name, a.native_identity, a.display_name, a.identity_id,
  a.authoritative, a.attributes, a.disabled, a.locked, a.manually_correlated, a.created, a.modified
  FROM accounts a JOIN sources s ON s.id = a.source_id`

/** What accounts can be filtered by. */
export interface AccountFilter {
  readonly sourceId?: string
  readonly identityIds?: readonly string[]
  readonly ids?: readonly string[]
  /** A v3 `filters` expression, checked against the account listing's fields. */
  readonly expression?: CheckedFilter<AccountFilterField>
}

/** The fields a `filters` expression on accounts can name, and the SQL each reads. */
export type AccountFilterField =
  | 'id'
  | 'identityId'
  | 'sourceId'
  | 'nativeIdentity'
  | 'name'
  | 'uncorrelated'
  | 'manuallyCorrelated'
  | 'disabled'
  | 'locked'
  | 'created'
  | 'modified'
const ACCOUNT_FILTER_COLUMNS: Record<AccountFilterField, string> = {
  id: 'a.id',
  identityId: 'a.identity_id',
  sourceId: 'a.source_id',
  nativeIdentity: 'a.native_identity',
  name: 'a.display_name',
  uncorrelated: '(a.identity_id IS NULL)',
  manuallyCorrelated: 'a.manually_correlated',
  disabled: 'a.disabled',
  locked: 'a.locked',
  created: 'a.created',
  modified: 'a.modified',
}

/** The fields account listings sort by. */
export type AccountSortField = 'nativeIdentity' | 'name' | 'created' | 'modified' | 'id'
const ACCOUNT_COLUMNS: Record<AccountSortField, string> = {
  nativeIdentity: 'a.native_identity',
  name: 'a.display_name',
  created: 'a.created',
  modified: 'a.modified',
  id: 'a.id',
}

/** How many accounts match a filter. */
export async function countAccounts(db: Db, filter: AccountFilter): Promise<number> {
  const { where, params } = accountWhere(filter)
  return await countRows(db, `FROM accounts a ${where}`, params)
}

/**
 * The account with this id, or undefined: one row by its primary key, without the ordering and paging a
 * listing needs (on the embedded database, each request's `GET /v3/accounts/{id}` pays for every clause).
 */
export async function findAccount(db: Db, id: string): Promise<Account | undefined> {
  const rows = await db.query<DbAccountRow>(`${SELECT} WHERE a.id = $1`, [id])
  return rows[0] && toAccount(rows[0])
}

/** Accounts by source name and native identity (or a page's order). */
export async function listAccounts(
  db: Db,
  filter: AccountFilter,
  page?: Page<AccountSortField>,
): Promise<Account[]> {
  const { where, params } = accountWhere(filter)
  const order = orderClause(page?.sort, ACCOUNT_COLUMNS, 's.name, a.native_identity', 'a.id')
  const rows = await db.query<DbAccountRow>(`${SELECT} ${where} ${order}${limitClause(page, params)}`, params)
  return rows.map(toAccount)
}

function accountWhere(filter: AccountFilter): { where: string; params: unknown[] } {
  const where: string[] = []
  const params: unknown[] = []
  if (filter.ids !== undefined) {
    params.push(filter.ids)
    where.push(`a.id = ANY($${params.length}::text[])`)
  }
  if (filter.sourceId !== undefined) {
    params.push(filter.sourceId)
    where.push(`a.source_id = $${params.length}`)
  }
  if (filter.identityIds !== undefined) {
    params.push(filter.identityIds)
    where.push(`a.identity_id = ANY($${params.length}::text[])`)
  }
  if (filter.expression !== undefined) {
    const expression = filterSql(filter.expression, ACCOUNT_FILTER_COLUMNS, params.length + 1)
    params.push(...expression.params)
    where.push(expression.sql)
  }
  return { where: where.length ? 'WHERE ' + where.join(' AND ') : '', params }
}

export function toAccount(r: DbAccountRow): Account {
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name,
    nativeIdentity: r.native_identity,
    displayName: r.display_name,
    identityId: r.identity_id,
    authoritative: r.authoritative,
    attributes: r.attributes,
    disabled: r.disabled,
    locked: r.locked,
    manuallyCorrelated: r.manually_correlated,
    created: iso(r.created),
    modified: iso(r.modified),
  }
}

/**
 * A person's correlation of an account: linked to `identityId` (null: to no identity), marked
 * manually correlated so that automatic correlation leaves it alone. False when there is no such account.
 */
export async function setManualCorrelation(
  db: Db,
  accountId: string,
  identityId: string | null,
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE accounts SET identity_id = $2, manually_correlated = true, modified = $3 WHERE id = $1 RETURNING id`,
    [accountId, identityId, now.toISOString()],
  )
  return rows.length === 1
}
