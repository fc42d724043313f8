import { z } from 'zod'
import { ForbiddenError } from '../../domain/errors.js'
import { findIdentityOrNone } from '../../engine/queries/get-identity.js'
import { retryNotifications } from '../../engine/notifications/retry-notifications.js'
import { listNotifications } from '../../engine/queries/list-notifications.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import { ownScope } from '../http/authorize.js'
import { principalOf } from '../http/caller.js'
import { collectionQuery, engineQuery, sendCollection } from '../http/collection-query.js'
import { RequestValidationError } from '../http/error-response.js'
import { notificationJson } from '../presenters/notification-json.js'

const retryBody = z.strictObject({
  ids: z.array(z.string().min(1).max(64)).max(1000).optional(),
  failed: z.boolean().optional(),
  outbox: z.boolean().optional(),
})

const listQuery = collectionQuery.extend({
  /** One recipient: an identity id or name, or `me`. */
  identity: z.string().min(1).max(256).optional(),
  state: z.enum(['OUTBOX', 'PENDING', 'SENT', 'FAILED']).optional(),
})

/**
 * `GET /provisio/v1/notifications`: the messages queued, sent, failed or kept in the outbox, newest first,
 * with the collection parameters. ORG_ADMIN sees everyone's; anyone else signed in sees the messages
 * sent to them.
 */
export function notificationRoutes(api: Api, ctx: ApiContext): void {
  api.get('/provisio/v1/notifications', { schema: { querystring: listQuery } }, async (request, reply) => {
    const principal = principalOf(request)
    const q = request.query
    if (q.identity === 'me' && principal.identityId === null) {
      throw new RequestValidationError([
        { path: 'querystring.identity', message: '"me" needs a personal access token' },
      ])
    }
    const scope = ownScope(principal, [])
    const named = q.identity === 'me' ? (principal.identityId ?? undefined) : q.identity
    if (scope !== undefined && named !== undefined && named !== scope.identityId) {
      const target = await findIdentityOrNone(ctx.engine, named)
      if (target?.id !== scope.identityId) {
        throw new ForbiddenError('you see the notifications sent to you only')
      }
    }
    const identity = scope?.identityId ?? named
    const query = engineQuery(q)
    const result = await listNotifications(ctx.engine, {
      ...query,
      filters: {
        ...(identity !== undefined ? { identity } : {}),
        ...(q.state !== undefined ? { state: q.state } : {}),
        ...(query.filters !== undefined ? { expression: query.filters } : {}),
      },
    })
    return sendCollection(reply, result, notificationJson)
  })

  // Messages sent again once their cause is fixed (ORG_ADMIN): `{ids}`, or `{failed: true}`, `{outbox: true}`.
  api.post('/provisio/v1/notifications/retry', { schema: { body: retryBody } }, async (request) => {
    const result = await retryNotifications(ctx.engine, request.body)
    request.auditDetail = {
      action: 'NOTIFICATIONS_RETRIED',
      targetType: 'NOTIFICATION',
      after: { requeued: result.requeued.length },
    }
    return result
  })
}
