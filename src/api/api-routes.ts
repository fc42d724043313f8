import type { ApiContext } from './api-context.js'
import type { Api } from './build-api.js'
import { oidcRoutes } from './auth/oidc-routes.js'
import { passwordRoutes } from './auth/password-routes.js'
import { signInRoutes } from './auth/sign-in-routes.js'
import { tokenRoutes } from './oauth/token-routes.js'
import { healthRoutes } from './provisio/health-routes.js'
import { metaRoutes } from './provisio/meta-routes.js'
import { accountRoutes } from './v3/accounts/account-routes.js'
import { authUserRoutes } from './v3/auth/auth-user-routes.js'
import { oauthClientRoutes } from './v3/auth/oauth-client-routes.js'
import { personalAccessTokenRoutes } from './v3/auth/personal-access-token-routes.js'
import { auditRoutes } from './provisio/audit-routes.js'
import { cliRoutes } from './provisio/cli-routes.js'

/** Every route of the API, by resource. */
export function apiRoutes(api: Api, ctx: ApiContext): void {
  tokenRoutes(api, ctx)
  metaRoutes(api)
  healthRoutes(api, ctx)
  accountRoutes(api, ctx)
  signInRoutes(api, ctx)
  passwordRoutes(api, ctx)
  oidcRoutes(api, ctx)
  personalAccessTokenRoutes(api, ctx)
  oauthClientRoutes(api, ctx)
  authUserRoutes(api, ctx)
  auditRoutes(api, ctx)
  cliRoutes(api, ctx)
}
