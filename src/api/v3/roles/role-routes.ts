import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { roleV3Json } from '../../presenters/access-v3-json.js'
import { readRoleBody, roleBody } from '../config-objects/access-bodies.js'
import { configObjectRoutes } from '../config-objects/config-object-routes.js'

/** `/v3/roles`: the workspace's roles; changed by JSON Patch, as in the reference. */
export function roleRoutes(api: Api, ctx: ApiContext): void {
  configObjectRoutes(api, ctx, {
    folder: 'roles',
    path: '/v3/roles',
    targetType: 'ROLE',
    body: roleBody,
    present: roleV3Json,
    owners: (r) => [r.owner],
    read: readRoleBody,
    filters: {
      id: { type: 'string', operators: ['eq', 'in'] },
      name: { type: 'string', operators: ['eq', 'sw', 'co'], caseInsensitive: true },
      'owner.id': { type: 'string', operators: ['eq', 'in'] },
      requestable: { type: 'boolean', operators: ['eq'] },
      enabled: { type: 'boolean', operators: ['eq'] },
      dimensional: { type: 'boolean', operators: ['eq'] },
    },
    sorters: ['name', 'id'],
    update: 'patch',
  })
}
