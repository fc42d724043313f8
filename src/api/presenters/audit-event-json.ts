import type { AuditEvent } from '../../engine/queries/list-audit-events.js'

/** One audit record, as `provisio audit --json` and `GET /provisio/v1/audit` show it. */
export function auditEventJson(e: AuditEvent): object {
  return {
    id: e.id,
    at: e.at,
    action: e.action,
    actor: { clientId: e.clientId, identityId: e.identityId, sourceAddress: e.sourceAddress },
    request: e.method === null ? null : { method: e.method, route: e.route, status: e.status },
    target:
      e.targetType === null && e.targetId === null
        ? null
        : { type: e.targetType, id: e.targetId, name: e.targetName },
    before: e.before ?? null,
    after: e.after ?? null,
  }
}
