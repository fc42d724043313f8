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

  // Configuration objects (sources, transforms, identity profiles and lifecycle states, roles, access
  // profiles) and Provisio's configuration versions and previews: reads for the admins who use them,
  // writes for the admin of that kind (docs/api.md, Capabilities).
  'GET /v3/sources': anyOf('SOURCE_ADMIN', 'ROLE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'POST /v3/sources': anyOf('SOURCE_ADMIN'),
  'GET /v3/sources/:id': anyOf('SOURCE_ADMIN', 'ROLE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'PUT /v3/sources/:id': anyOf('SOURCE_ADMIN'),
  'PATCH /v3/sources/:id': anyOf('SOURCE_ADMIN'),
  'DELETE /v3/sources/:id': anyOf('SOURCE_ADMIN'),
  'GET /v3/sources/:sourceId/provisioning-policies': anyOf('SOURCE_ADMIN', 'REPORT_ADMIN'),
  'GET /v3/sources/:sourceId/provisioning-policies/:usageType': anyOf('SOURCE_ADMIN', 'REPORT_ADMIN'),
  'PUT /v3/sources/:sourceId/provisioning-policies/:usageType': anyOf('SOURCE_ADMIN'),
  'GET /v3/sources/:sourceId/schemas': anyOf('SOURCE_ADMIN', 'ROLE_ADMIN', 'REPORT_ADMIN'),
  'GET /v3/sources/:sourceId/source-health': anyOf('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'GET /v3/transforms': anyOf('SOURCE_ADMIN', 'REPORT_ADMIN'),
  'POST /v3/transforms': anyOf('SOURCE_ADMIN'),
  'GET /v3/transforms/:id': anyOf('SOURCE_ADMIN', 'REPORT_ADMIN'),
  'PUT /v3/transforms/:id': anyOf('SOURCE_ADMIN'),
  'DELETE /v3/transforms/:id': anyOf('SOURCE_ADMIN'),
  'GET /v3/identity-profiles': anyOf('SOURCE_ADMIN', 'ROLE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'GET /v3/identity-profiles/:identityProfileId': anyOf(
    'SOURCE_ADMIN',
    'ROLE_ADMIN',
    'HELPDESK',
    'REPORT_ADMIN',
  ),
  'GET /v3/identity-profiles/:identityProfileId/lifecycle-states': anyOf(
    'SOURCE_ADMIN',
    'ROLE_ADMIN',
    'HELPDESK',
    'REPORT_ADMIN',
  ),
  'POST /v3/identity-profiles/:identityProfileId/lifecycle-states': anyOf('SOURCE_ADMIN'),
  'GET /v3/identity-profiles/:identityProfileId/lifecycle-states/:lifecycleStateId': anyOf(
    'SOURCE_ADMIN',
    'ROLE_ADMIN',
    'HELPDESK',
    'REPORT_ADMIN',
  ),
  'PUT /v3/identity-profiles/:identityProfileId/lifecycle-states/:lifecycleStateId': anyOf('SOURCE_ADMIN'),
  'PATCH /v3/identity-profiles/:identityProfileId/lifecycle-states/:lifecycleStateId': anyOf('SOURCE_ADMIN'),
  'DELETE /v3/identity-profiles/:identityProfileId/lifecycle-states/:lifecycleStateId': anyOf('SOURCE_ADMIN'),
  'GET /v3/roles': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'POST /v3/roles': anyOf('ROLE_ADMIN'),
  'GET /v3/roles/:id': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'PATCH /v3/roles/:id': anyOf('ROLE_ADMIN'),
  'DELETE /v3/roles/:id': anyOf('ROLE_ADMIN'),
  'GET /v3/access-profiles': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'POST /v3/access-profiles': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN'),
  'GET /v3/access-profiles/:id': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'PATCH /v3/access-profiles/:id': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN'),
  'DELETE /v3/access-profiles/:id': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN'),
  'GET /provisio/v1/config/versions': anyOf('SOURCE_ADMIN', 'ROLE_ADMIN'),
  'GET /provisio/v1/config/versions/:number': anyOf('SOURCE_ADMIN', 'ROLE_ADMIN'),
  'POST /provisio/v1/config/preview': anyOf('SOURCE_ADMIN', 'ROLE_ADMIN'),
}
