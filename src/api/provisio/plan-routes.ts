import { z } from 'zod'
import { explainIdentity } from '../../engine/explain-identity.js'
import { planIdentities } from '../../engine/plan-identities.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import { collectionQuery } from '../http/collection-query.js'
import { explanationJson } from '../presenters/explanation-json.js'
import { planJson } from '../presenters/plan-json.js'

const planQuery = collectionQuery.pick({ limit: true, offset: true, count: true }).extend({
  /** Plan one identity (id or name). */
  identity: z.string().min(1).max(256).optional(),
  /** Keep only one source's items (its name). */
  source: z.string().min(1).max(256).optional(),
})

const explainParams = z.strictObject({ identityId: z.string().min(1).max(256) })

/**
 * Provisio's own: `GET /provisio/v1/plan`, the whole-tenant plan as `provisio plan --json` prints it with its
 * items paged (X-Total-Count counts them), and `GET /provisio/v1/explain/{identityId}`, one identity's
 * explanation as `provisio explain --json` prints it. Neither changes anything.
 */
export function planRoutes(api: Api, ctx: ApiContext): void {
  api.get('/provisio/v1/plan', { schema: { querystring: planQuery } }, async (request, reply) => {
    const { limit, offset, count, identity, source } = request.query
    const plan = await planIdentities(ctx.engine, {
      ...(identity !== undefined ? { identity } : {}),
      ...(source !== undefined ? { source } : {}),
    })
    if (count) void reply.header('x-total-count', String(plan.items.length))
    const whole = planJson(plan) as Record<string, unknown>
    const items = whole['items'] as unknown[]
    return { ...whole, items: items.slice(offset, offset + limit) }
  })

  api.get('/provisio/v1/explain/:identityId', { schema: { params: explainParams } }, async (request) =>
    explanationJson(await explainIdentity(ctx.engine, request.params.identityId)),
  )
}
