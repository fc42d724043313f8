import type { Account, Attributes } from '../domain/model.js'
import type { Db } from './db.js'
import { iso } from './iso-time.js'

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

export async function listAccounts(
  db: Db,
  filter: { sourceId?: string; identityIds?: readonly string[]; ids?: readonly string[] },
): Promise<Account[]> {
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
  const rows = await db.query<DbAccountRow>(
    `${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY s.name, a.native_identity`,
    params,
  )
  return rows.map(toAccount)
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
