import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { accessProfileV3Json } from '../../presenters/access-v3-json.js'
import { accessProfileBody, readAccessProfileBody } from '../config-objects/access-bodies.js'
import { configObjectRoutes } from '../config-objects/config-object-routes.js'

/** `/v3/access-profiles`: the workspace's access profiles; changed by JSON Patch, as in the reference. */
export function accessProfileRoutes(api: Api, ctx: ApiContext): void {
  configObjectRoutes(api, ctx, {
    folder: 'accessProfiles',
    path: '/v3/access-profiles',
    targetType: 'ACCESS_PROFILE',
    body: accessProfileBody,
    present: accessProfileV3Json,
    owners: (a) => [a.owner],
    read: readAccessProfileBody,
    filters: {
      id: { type: 'string', operators: ['eq', 'in'] },
      name: { type: 'string', operators: ['eq', 'sw', 'co'], caseInsensitive: true },
      'owner.id': { type: 'string', operators: ['eq', 'in'] },
      'source.id': { type: 'string', operators: ['eq', 'in'] },
      requestable: { type: 'boolean', operators: ['eq'] },
      enabled: { type: 'boolean', operators: ['eq'] },
    },
    sorters: ['name', 'id'],
    update: 'patch',
  })
}
