import { z } from 'zod'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { transformV3Json } from '../../presenters/transform-v3-json.js'
import { configObjectRoutes } from '../config-objects/config-object-routes.js'
import { readFields } from '../config-objects/read-fields.js'

/** The reference's Transform, strict; the transform itself is checked by validate's rules (it compiles). */
export const transformBody = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string(),
  type: z.string(),
  attributes: z.record(z.string(), z.unknown()).nullable().optional(),
  /** Read-only in the reference: every transform of Provisio's is the tenant's own. */
  internal: z.boolean().optional(),
  requiresPeriodicRefresh: z.boolean().optional(),
})

/** `/v3/transforms`: the workspace's named transforms. */
export function transformRoutes(api: Api, ctx: ApiContext): void {
  configObjectRoutes(api, ctx, {
    folder: 'transforms',
    path: '/v3/transforms',
    targetType: 'TRANSFORM',
    body: transformBody,
    present: (t) => transformV3Json(t),
    owners: () => [],
    read: (body, existing) =>
      readFields(body, { name: {}, type: {}, attributes: {}, requiresPeriodicRefresh: {} }, existing),
    filters: {
      id: { type: 'string', operators: ['eq', 'in'] },
      name: { type: 'string', operators: ['eq', 'sw'], caseInsensitive: true },
      type: { type: 'string', operators: ['eq', 'in'] },
      internal: { type: 'boolean', operators: ['eq'] },
    },
    sorters: ['name', 'id', 'type'],
    // The reference's `name`: the transform with this name.
    listQuery: z.strictObject({ name: z.string().max(256).optional() }),
    narrow: (values, query) =>
      typeof query['name'] === 'string' ? values.filter((t) => t.name === query['name']) : values,
    update: 'put',
  })
}
