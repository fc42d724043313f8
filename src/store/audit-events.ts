import type { Db } from './db.js'
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

export function toAuditEvent(r: DbAuditRow): AuditEvent {
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
