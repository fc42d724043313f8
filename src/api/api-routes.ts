import type { ApiContext } from './api-context.js'
import type { Api } from './build-api.js'
import { tokenRoutes } from './oauth/token-routes.js'
import { healthRoutes } from './provisio/health-routes.js'
import { metaRoutes } from './provisio/meta-routes.js'
import { accountRoutes } from './v3/accounts/account-routes.js'
import { sourcePartRoutes } from './v3/sources/source-part-routes.js'
import { sourceRoutes } from './v3/sources/source-routes.js'

/** Every route of the API, by resource. */
export function apiRoutes(api: Api, ctx: ApiContext): void {
  tokenRoutes(api, ctx)
  metaRoutes(api)
  healthRoutes(api, ctx)
  accountRoutes(api, ctx)
  sourceRoutes(api, ctx)
  sourcePartRoutes(api, ctx)
}
