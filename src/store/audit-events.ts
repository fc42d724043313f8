import type { CheckedFilter } from '../domain/query/check-filters.js'
import type { Db } from './db.js'
import { filterSql } from './filter-sql.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'
import { iso } from './iso-time.js'

/** One record of the audit log (migration 0011). */
export interface AuditEvent {
  readonly id: string
  readonly at: string
  readonly action: string
  readonly clientId: string | null
  readonly identityId: string | null
  readonly sourceAddress: string | null
  readonly method: string | null
  readonly route: string | null
  readonly status: number | null
  readonly targetType: string | null
  readonly targetId: string | null
  readonly targetName: string | null
  readonly before: unknown
  readonly after: unknown
}

export type AuditEventWrite = Omit<AuditEvent, 'id' | 'at'>

export async function insertAuditEvent(db: Db, e: AuditEventWrite, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO audit_events (at, action, client_id, identity_id, source_address, method, route, status,
       target_type, target_id, target_name, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      at,
      e.action,
      e.clientId,
      e.identityId,
      e.sourceAddress,
      e.method,
      e.route,
      e.status,
      e.targetType,
      e.targetId,
      e.targetName,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
    ],
  )
}

interface DbAuditRow {
  id: string | number
  at: Date | string
  action: string
  client_id: string | null
  identity_id: string | null
  source_address: string | null
  method: string | null
  route: string | null
  status: number | null
  target_type: string | null
  target_id: string | null
  target_name: string | null
  before: unknown
  after: unknown
}

function toAuditEvent(r: DbAuditRow): AuditEvent {
  return {
    id: String(r.id),
    at: iso(r.at),
    action: r.action,
    clientId: r.client_id,
    identityId: r.identity_id,
    sourceAddress: r.source_address,
    method: r.method,
    route: r.route,
    status: r.status,
    targetType: r.target_type,
    targetId: r.target_id,
    targetName: r.target_name,
    before: r.before,
    after: r.after,
  }
}

/** The fields a `filters` expression on the audit log can name. */
export type AuditFilterField =
  | 'id'
  | 'at'
  | 'action'
  | 'clientId'
  | 'identityId'
  | 'route'
  | 'status'
  | 'targetType'
  | 'targetId'
  | 'targetName'
const AUDIT_FILTER_COLUMNS: Record<AuditFilterField, string> = {
  id: 'id::text',
  at: 'at',
  action: 'action',
  clientId: 'client_id',
  identityId: 'identity_id',
  route: 'route',
  status: 'status',
  targetType: 'target_type',
  targetId: 'target_id',
  targetName: 'target_name',
}

export type AuditSortField = 'at' | 'action' | 'id'
const AUDIT_COLUMNS: Record<AuditSortField, string> = { at: 'at', action: 'action', id: 'id' }

export interface AuditFilter {
  readonly expression?: CheckedFilter<AuditFilterField>
}

function auditWhere(filter: AuditFilter, params: unknown[]): string {
  if (filter.expression === undefined) return ''
  const expression = filterSql(filter.expression, AUDIT_FILTER_COLUMNS, params.length + 1)
  params.push(...expression.params)
  return `WHERE ${expression.sql}`
}

/** Audit events, newest first unless sorted otherwise. */
export async function listAuditEvents(
  db: Db,
  filter: AuditFilter = {},
  page?: Page<AuditSortField>,
): Promise<AuditEvent[]> {
  const params: unknown[] = []
  const where = auditWhere(filter, params)
  const order = orderClause(page?.sort, AUDIT_COLUMNS, 'at DESC, id DESC', 'id')
  const rows = await db.query<DbAuditRow>(
    `SELECT id, at, action, client_id, identity_id, source_address, method, route, status, target_type,
       target_id, target_name, before, after FROM audit_events ${where} ${order}${limitClause(page, params)}`,
    params,
  )
  return rows.map(toAuditEvent)
}

export async function countAuditEvents(db: Db, filter: AuditFilter = {}): Promise<number> {
  const params: unknown[] = []
  return countRows(db, `FROM audit_events ${auditWhere(filter, params)}`, params)
}
