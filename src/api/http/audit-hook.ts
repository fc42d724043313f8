import type { FastifyRequest } from 'fastify'
import { recordAudit } from '../../engine/audit/record-audit.js'
import type { ApiContext } from '../api-context.js'

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * After each response: a write (any method but GET, HEAD, OPTIONS), and every call to the token endpoint,
 * goes to the audit log with who, the route, the status and what the route said it changed. A refused
 * write (4xx) is recorded too: an audit shows attempts, not only successes. A read is recorded when its
 * route says what it did (the OpenID Connect callback signs a person in).
 */
export async function recordRequestAudit(
  ctx: ApiContext,
  request: FastifyRequest,
  status: number,
): Promise<void> {
  if (READS.has(request.method) && request.auditDetail === null) return
  const route = request.routeOptions.url
  if (route === undefined) return
  const detail = request.auditDetail
  await recordAudit(ctx.engine, {
    action: detail?.action ?? `${request.method} ${route}`,
    clientId: request.principal?.clientId ?? null,
    identityId: request.principal?.identityId ?? null,
    sourceAddress: request.ip,
    method: request.method,
    route,
    status,
    targetType: detail?.targetType ?? null,
    targetId: detail?.targetId ?? null,
    targetName: detail?.targetName ?? null,
    before: detail?.before,
    after: detail?.after,
  })
}
