import { z } from 'zod'
import { NotFoundError } from '../../../domain/errors.js'
import { listEntitlements } from '../../../engine/queries/list-entitlements.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery, engineQuery, sendCollection } from '../../http/collection-query.js'
import { entitlementV3Json } from '../../presenters/entitlement-v3-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/** The reference's sorters by its names: `source.id` is not a sort of Provisio's; the rest are. */
const SORTERS: Readonly<Record<string, string>> = { modified: 'created' }

/**
 * `/beta/entitlements` and `/v2024/entitlements` (the reference has entitlements there, not in v3): every
 * source's entitlements, with the reference's filters and paging, and one by id.
 */
export function entitlementRoutes(api: Api, ctx: ApiContext): void {
  for (const version of ['beta', 'v2024']) {
    api.get(
      `/${version}/entitlements`,
      { schema: { querystring: collectionQuery } },
      async (request, reply) => {
        const query = engineQuery(request.query)
        const sorters = query.sorters?.map((s) => {
          const descending = s.startsWith('-')
          const field = descending ? s.slice(1) : s
          return `${descending ? '-' : ''}${SORTERS[field] ?? field}`
        })
        const result = await listEntitlements(ctx.engine, { ...query, ...(sorters ? { sorters } : {}) })
        return sendCollection(reply, result, entitlementV3Json)
      },
    )

    api.get(`/${version}/entitlements/:id`, { schema: { params: idParams } }, async (request) => {
      const { rows } = await listEntitlements(ctx.engine, {
        filters: `id eq ${JSON.stringify(request.params.id)}`,
        limit: 1,
      })
      const entitlement = rows[0]
      if (!entitlement) throw new NotFoundError(`no entitlement with id "${request.params.id}"`)
      return entitlementV3Json(entitlement)
    })
  }
}
