import type { RouteAccess } from './http/route-access.js'
import { anyOf, PUBLIC } from './http/route-access.js'

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
}
