import { readFilters, type FilterFields } from '../../domain/query/check-filters.js'
import {
  countAuditEvents,
  listAuditEvents as listStored,
  type AuditEvent,
  type AuditFilter,
  type AuditFilterField,
  type AuditSortField,
} from '../../store/audit-events.js'
import type { EngineContext } from '../engine-context.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export type { AuditEvent } from '../../store/audit-events.js'

const TEXT = ['eq', 'ne', 'in', 'sw', 'pr', 'isnull'] as const

/** What the audit log's `filters` can name. */
export const AUDIT_FILTER_FIELDS: FilterFields<AuditFilterField> = {
  id: { type: 'string', operators: ['eq', 'in'] },
  at: { type: 'date', operators: ['gt', 'lt', 'ge', 'le'] },
  action: { type: 'string', operators: TEXT },
  clientId: { type: 'string', operators: TEXT },
  identityId: { type: 'string', operators: TEXT },
  route: { type: 'string', operators: TEXT },
  status: { type: 'number', operators: ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'in'] },
  targetType: { type: 'string', operators: TEXT },
  targetId: { type: 'string', operators: TEXT },
  targetName: { type: 'string', operators: [...TEXT, 'co'], caseInsensitive: true },
}

const FIELDS: readonly AuditSortField[] = ['at', 'action', 'id']

/** The audit log, newest first; `filters` in the v3 grammar (`action eq "TOKEN_ISSUED" and at gt 2026-…`). */
export async function listAudit(
  ctx: EngineContext,
  query: Query<string, AuditSortField> = {},
): Promise<QueryResult<AuditEvent>> {
  const filter: AuditFilter =
    query.filters !== undefined && query.filters.trim() !== ''
      ? { expression: readFilters(query.filters, AUDIT_FILTER_FIELDS) }
      : {}
  const rows = await listStored(ctx.db, filter, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countAuditEvents(ctx.db, filter))
}
