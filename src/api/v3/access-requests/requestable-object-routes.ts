import { z } from 'zod'
import { ForbiddenError } from '../../../domain/errors.js'
import { isOrgAdmin } from '../../../engine/requests/access-request-actor.js'
import {
  listRequestableObjects,
  type RequestStatusOfObject,
} from '../../../engine/requests/requestable-objects.js'
import { findIdentityOrNone } from '../../../engine/queries/get-identity.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery, sendCollection } from '../../http/collection-query.js'
import { actorOf } from './access-request-routes.js'

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .max(256)
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(values)))
const query = collectionQuery.pick({ limit: true, offset: true, count: true }).extend({
  'identity-id': z.string().min(1).max(256).optional(),
  types: list(['ACCESS_PROFILE', 'ROLE', 'ENTITLEMENT'] as const).optional(),
  term: z.string().max(256).optional(),
  statuses: list(['AVAILABLE', 'PENDING', 'ASSIGNED'] as const).optional(),
})

/**
 * `GET /v3/requestable-objects`: what may be requested, each with its state for `identity-id` (the
 * caller, a direct report, or — for an ORG_ADMIN — anyone).
 */
export function requestableObjectRoutes(api: Api, ctx: ApiContext): void {
  api.get('/v3/requestable-objects', { schema: { querystring: query } }, async (request, reply) => {
    const q = request.query
    const actor = actorOf(request)
    let identityId: string | undefined
    if (q['identity-id'] !== undefined) {
      const identity = await findIdentityOrNone(ctx.engine, q['identity-id'])
      identityId = identity?.id ?? q['identity-id']
      const mine =
        identity !== undefined &&
        (identity.id === actor.identityId || identity.managerId === actor.identityId)
      if (!mine && !isOrgAdmin(actor)) {
        throw new ForbiddenError(`you may not see what ${q['identity-id']} holds`)
      }
    }
    const result = await listRequestableObjects(ctx.engine, {
      identityId,
      types: q.types,
      term: q.term,
      statuses: q.statuses as RequestStatusOfObject[] | undefined,
      limit: q.limit,
      offset: q.offset,
      count: q.count,
    })
    const owners = new Map<string, { id: string; name: string; email?: string }>()
    for (const o of result.rows) {
      const key = o.owner?.id ?? o.owner?.name
      if (key === undefined || owners.has(key)) continue
      const found = await findIdentityOrNone(ctx.engine, key)
      const email = found?.attributes['email']
      if (found) owners.set(key, { id: found.id, name: found.name, ...(email ? { email } : {}) })
    }
    return sendCollection(reply, result, (o) => ({
      id: o.id,
      name: o.name,
      description: o.description,
      type: o.type,
      requestStatus: o.requestStatus,
      identityRequestId: o.identityRequestId,
      ownerRef: (() => {
        const found = owners.get(o.owner?.id ?? o.owner?.name ?? '')
        return found ? { type: 'IDENTITY', ...found } : null
      })(),
      requestCommentsRequired: o.commentsRequired,
    }))
  })
}
