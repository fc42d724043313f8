import type { RouteAccess } from './http/route-access.js'
import { anyOf, ORG_ADMIN, person, PUBLIC, selfOr, user } from './http/route-access.js'

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

  // Credentials: a person's own personal access tokens; API clients are the tenant administrator's.
  ...both(['/beta', '/v3'], {
    'GET {}/personal-access-tokens': user('HELPDESK'),
    'POST {}/personal-access-tokens': person(),
    'DELETE {}/personal-access-tokens/:id': user('HELPDESK'),
    'GET {}/oauth-clients': ORG_ADMIN,
    'GET {}/oauth-clients/:id': ORG_ADMIN,
    'POST {}/oauth-clients': ORG_ADMIN,
    'DELETE {}/oauth-clients/:id': ORG_ADMIN,
  }),
  // Capabilities: anyone may read their own; only ORG_ADMIN grants.
  ...both(['/v3', '/v2024'], {
    'GET {}/auth-users/:id': selfOr('id', 'HELPDESK'),
    'PATCH {}/auth-users/:id': ORG_ADMIN,
  }),

  'GET /provisio/v1/audit': anyOf('REPORT_ADMIN'),
  // The command line of another process, run by serve on its embedded database.
  'POST /provisio/v1/cli': ORG_ADMIN,
}

/** The same lines under several version prefixes (`{}` in each key is the prefix). */
function both(
  prefixes: readonly string[],
  lines: Readonly<Record<string, RouteAccess>>,
): Record<string, RouteAccess> {
  return Object.fromEntries(
    prefixes.flatMap((p) => Object.entries(lines).map(([key, access]) => [key.replace('{}', p), access])),
  )
}
