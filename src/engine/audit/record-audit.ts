import { insertAuditEvent, type AuditEventWrite } from '../../store/audit-events.js'
import type { EngineContext } from '../engine-context.js'

export type { AuditEvent, AuditEventWrite } from '../../store/audit-events.js'

/**
 * Appends one event to the audit log at the context's time. Callers pass objects as they present them,
 * never a request body: a secret in a body must not reach the log.
 */
export async function recordAudit(ctx: EngineContext, event: AuditEventWrite): Promise<void> {
  await insertAuditEvent(ctx.db, event, ctx.now())
}
