import type { ApiContext } from './api-context.js'
import type { Api } from './build-api.js'
import { tokenRoutes } from './oauth/token-routes.js'
import { configRoutes } from './provisio/config-routes.js'
import { healthRoutes } from './provisio/health-routes.js'
import { metaRoutes } from './provisio/meta-routes.js'
import { accessProfileRoutes } from './v3/access-profiles/access-profile-routes.js'
import { accountRoutes } from './v3/accounts/account-routes.js'
import { authUserRoutes } from './v3/auth/auth-user-routes.js'
import { oauthClientRoutes } from './v3/auth/oauth-client-routes.js'
import { personalAccessTokenRoutes } from './v3/auth/personal-access-token-routes.js'
import { auditRoutes } from './provisio/audit-routes.js'
import { cliRoutes } from './provisio/cli-routes.js'
import { identityProfileRoutes } from './v3/identity-profiles/identity-profile-routes.js'
import { roleRoutes } from './v3/roles/role-routes.js'
import { sourcePartRoutes } from './v3/sources/source-part-routes.js'
import { sourceRoutes } from './v3/sources/source-routes.js'
import { transformRoutes } from './v3/transforms/transform-routes.js'

/** Every route of the API, by resource. */
export function apiRoutes(api: Api, ctx: ApiContext): void {
  tokenRoutes(api, ctx)
  metaRoutes(api)
  healthRoutes(api, ctx)
  accountRoutes(api, ctx)
  personalAccessTokenRoutes(api, ctx)
  oauthClientRoutes(api, ctx)
  authUserRoutes(api, ctx)
  auditRoutes(api, ctx)
  cliRoutes(api, ctx)
  sourceRoutes(api, ctx)
  sourcePartRoutes(api, ctx)
  transformRoutes(api, ctx)
  roleRoutes(api, ctx)
  accessProfileRoutes(api, ctx)
  identityProfileRoutes(api, ctx)
  configRoutes(api, ctx)
}
