import type { ApiContext } from './api-context.js'
import type { Api } from './build-api.js'
import { oidcRoutes } from './auth/oidc-routes.js'
import { passwordRoutes } from './auth/password-routes.js'
import { signInRoutes } from './auth/sign-in-routes.js'
import { tokenRoutes } from './oauth/token-routes.js'
import { healthRoutes } from './provisio/health-routes.js'
import { metaRoutes } from './provisio/meta-routes.js'
import { accountRoutes } from './v3/accounts/account-routes.js'

/** Every route of the API, by resource. */
export function apiRoutes(api: Api, ctx: ApiContext): void {
  tokenRoutes(api, ctx)
  metaRoutes(api)
  healthRoutes(api, ctx)
  accountRoutes(api, ctx)
  signInRoutes(api, ctx)
  passwordRoutes(api, ctx)
  oidcRoutes(api, ctx)
}
