import { listAudit } from '../../engine/queries/list-audit-events.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import { collectionQuery, engineQuery, sendCollection } from '../http/collection-query.js'
import { auditEventJson } from '../presenters/audit-event-json.js'

/** `GET /provisio/v1/audit`: the audit log, newest first, with the collection parameters. */
export function auditRoutes(api: Api, ctx: ApiContext): void {
  api.get('/provisio/v1/audit', { schema: { querystring: collectionQuery } }, async (request, reply) =>
    sendCollection(reply, await listAudit(ctx.engine, engineQuery(request.query)), auditEventJson),
  )
}
