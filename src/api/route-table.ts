import type { RouteAccess } from './http/route-access.js'
import { anyOf, PUBLIC, user } from './http/route-access.js'

/**
 * Which callers each route takes: the one table of authorisation, as data. Every route the server
 * registers must have its line here (the server will not start otherwise), and test/api-authorisation
 * walks every line with every capability. ORG_ADMIN may call everything that is not public.
 */
export const ROUTE_TABLE: Readonly<Record<string, RouteAccess>> = {
  'POST /oauth/token': PUBLIC,
  'GET /openapi.json': PUBLIC,
  'GET /health': PUBLIC,

  'GET /v3/accounts': anyOf('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'GET /v3/accounts/:id': anyOf('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),

  // Signing in (docs/authentication.md, "Signing in"): the sign-in routes are public; the session route
  // answers any caller signed in; passwords and invitations are set by ORG_ADMIN or HELPDESK.
  'POST /provisio/v1/auth/login': PUBLIC,
  'POST /provisio/v1/auth/logout': PUBLIC,
  'GET /provisio/v1/auth/session': user(),
  'GET /provisio/v1/auth/invitations/:token': PUBLIC,
  'POST /provisio/v1/auth/invitations/:token': PUBLIC,
  'GET /provisio/v1/auth/oidc/login': PUBLIC,
  'GET /provisio/v1/auth/oidc/callback': PUBLIC,
  'PUT /provisio/v1/identities/:id/password': anyOf('HELPDESK'),
  'POST /provisio/v1/identities/:id/invitations': anyOf('HELPDESK'),
  'DELETE /provisio/v1/identities/:id/sessions': anyOf('HELPDESK'),
}
