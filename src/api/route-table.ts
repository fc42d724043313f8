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

  // Access requests (docs/access-requests.md): anyone signed in asks and decides; the engine checks for whom
  // (themselves, direct reports, anyone with ORG_ADMIN) and which approvals are theirs. An API client needs
  // ORG_ADMIN. Closing stuck requests is ORG_ADMIN's.
  'POST /v3/access-requests': user(),
  'POST /v3/access-requests/cancel': user(),
  'POST /provisio/v1/access-requests/preview': user(),
  'POST /v2025/access-requests/close': ORG_ADMIN,
  'GET /v3/access-request-status': user('HELPDESK'),
  'GET /v3/access-request-approvals/pending': user(),
  'GET /v3/access-request-approvals/completed': user(),
  'GET /v3/access-request-approvals/approval-summary': user(),
  'POST /v3/access-request-approvals/:approvalId/approve': user(),
  'POST /v3/access-request-approvals/:approvalId/reject': user(),
  'POST /v3/access-request-approvals/:approvalId/forward': user(),
  'POST /v2024/access-request-approvals/bulk-approve': user(),
  'POST /v2025/access-request-approvals/bulk-approve': user(),
  'GET /v3/requestable-objects': user(),

  'GET /provisio/v1/audit': anyOf('REPORT_ADMIN'),
  // Notifications: ORG_ADMIN reads everyone's; anyone signed in, the messages sent to them.
  'GET /provisio/v1/notifications': user(),
  'POST /provisio/v1/notifications/retry': ORG_ADMIN,
  // The command line of another process, run by serve on its embedded database.
  'POST /provisio/v1/cli': ORG_ADMIN,

  // Operational routes: account actions, entitlements, identities and their lifecycle, account activities,
  // work items, plan and explain, load-accounts and task status. A `user` route shows a person their own
  // objects (ownScope in src/api/http/authorize.ts); the work items' routes check each item's owner.
  'POST /v3/accounts/:id/enable': anyOf('SOURCE_ADMIN', 'HELPDESK'),
  'POST /v3/accounts/:id/disable': anyOf('SOURCE_ADMIN', 'HELPDESK'),
  'PATCH /v3/accounts/:id': anyOf('SOURCE_ADMIN', 'HELPDESK'),
  'GET /v3/accounts/:id/entitlements': anyOf('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  ...both(['/beta', '/v2024'], {
    'GET {}/entitlements': anyOf('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
    'GET {}/entitlements/:id': anyOf('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
    'GET {}/identities': user('HELPDESK', 'SOURCE_ADMIN', 'REPORT_ADMIN'),
    'GET {}/identities/:id': selfOr('id', 'HELPDESK', 'SOURCE_ADMIN', 'REPORT_ADMIN'),
    'POST {}/identities/process': anyOf('HELPDESK'),
    'GET {}/task-status/:id': anyOf('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
    // Whether an entitlement can be requested, and its owner (the rest comes from its source).
    'PATCH {}/entitlements/:id': anyOf('SOURCE_ADMIN'),
  }),
  ...both(['/v3', '/v2024'], {
    'POST {}/identities/:identityId/set-lifecycle-state': ORG_ADMIN,
    'POST {}/sources/:id/load-accounts': anyOf('SOURCE_ADMIN'),
  }),
  'POST /v3/identity-profiles/:identityProfileId/process-identities': ORG_ADMIN,
  'GET /v3/account-activities': user('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'GET /v3/account-activities/:id': user('SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'GET /v3/work-items': user('SOURCE_ADMIN'),
  'GET /v3/work-items/completed': user('SOURCE_ADMIN'),
  'GET /v3/work-items/count': user('SOURCE_ADMIN'),
  'GET /v3/work-items/completed/count': user('SOURCE_ADMIN'),
  'GET /v3/work-items/summary': user('SOURCE_ADMIN'),
  'GET /v3/work-items/:id': user('SOURCE_ADMIN'),
  'POST /v3/work-items/:id': user('SOURCE_ADMIN'),
  'POST /v3/work-items/:id/forward': user('SOURCE_ADMIN'),
  'POST /v3/work-items/:id/reject/:approvalItemId': user('SOURCE_ADMIN'),
  'POST /v3/work-items/bulk-reject/:id': user('SOURCE_ADMIN'),
  'GET /provisio/v1/plan': anyOf('SOURCE_ADMIN', 'ROLE_ADMIN', 'REPORT_ADMIN'),
  'GET /provisio/v1/explain/:identityId': selfOr(
    'identityId',
    'HELPDESK',
    'SOURCE_ADMIN',
    'ROLE_ADMIN',
    'REPORT_ADMIN',
  ),
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

  // Access requests' configuration (docs/governance-groups.md, docs/configuration.md): governance groups are
  // read by the admins who name them in approval schemes and changed by ORG_ADMIN, as in the reference; the
  // tenant's access request configuration is read by anyone signed in (it says who may request what) and
  // replaced by ORG_ADMIN.
  ...both(['/beta', '/v2024'], {
    'GET {}/workgroups': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN', 'REPORT_ADMIN'),
    'POST {}/workgroups': ORG_ADMIN,
    'POST {}/workgroups/bulk-delete': ORG_ADMIN,
    'GET {}/workgroups/:id': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN', 'REPORT_ADMIN'),
    'PATCH {}/workgroups/:id': ORG_ADMIN,
    'DELETE {}/workgroups/:id': ORG_ADMIN,
    'GET {}/workgroups/:workgroupId/members': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN', 'REPORT_ADMIN'),
    'GET {}/workgroups/:workgroupId/connections': anyOf('ROLE_ADMIN', 'SOURCE_ADMIN', 'REPORT_ADMIN'),
    'POST {}/workgroups/:workgroupId/members/bulk-add': ORG_ADMIN,
    'POST {}/workgroups/:workgroupId/members/bulk-delete': ORG_ADMIN,
  }),
  'GET /v3/access-request-config': user('SOURCE_ADMIN', 'ROLE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'),
  'PUT /v3/access-request-config': ORG_ADMIN,

  // Certifications (docs/certifications.md): campaigns are CERT_ADMIN's; certifications are for anyone
  // signed in, the engine showing a reviewer only their own (someone else's is not found) and a campaign
  // administrator every one.
  'GET /v3/campaigns': anyOf('CERT_ADMIN'),
  'POST /v3/campaigns': anyOf('CERT_ADMIN'),
  'GET /v3/campaigns/:id': anyOf('CERT_ADMIN'),
  'PATCH /v3/campaigns/:id': anyOf('CERT_ADMIN'),
  'POST /v3/campaigns/:id/activate': anyOf('CERT_ADMIN'),
  'POST /v3/campaigns/:id/complete': anyOf('CERT_ADMIN'),
  'POST /v3/campaigns/delete': anyOf('CERT_ADMIN'),
  'POST /v3/campaigns/:id/reassign': anyOf('CERT_ADMIN'),
  'POST /v3/campaigns/:id/run-remediation-scan': anyOf('CERT_ADMIN'),
  'GET /provisio/v1/campaigns/:id/report': anyOf('CERT_ADMIN'),
  'GET /v3/campaigns/:id/reports': anyOf('CERT_ADMIN', 'REPORT_ADMIN'),
  'POST /v3/campaigns/:id/run-report/:type': anyOf('CERT_ADMIN', 'REPORT_ADMIN'),
  'GET /v3/campaigns/reports-configuration': anyOf('CERT_ADMIN', 'REPORT_ADMIN'),
  'PUT /v3/campaigns/reports-configuration': anyOf('CERT_ADMIN'),
  'GET /v3/reports/:taskResultId/result': anyOf('CERT_ADMIN', 'REPORT_ADMIN'),
  'GET /v3/reports/:taskResultId': anyOf('CERT_ADMIN', 'REPORT_ADMIN'),
  'GET /v3/campaign-templates': anyOf('CERT_ADMIN'),
  'POST /v3/campaign-templates': anyOf('CERT_ADMIN'),
  'GET /v3/campaign-templates/:id': anyOf('CERT_ADMIN'),
  'PATCH /v3/campaign-templates/:id': anyOf('CERT_ADMIN'),
  'DELETE /v3/campaign-templates/:id': anyOf('CERT_ADMIN'),
  'GET /v3/campaign-templates/:id/schedule': anyOf('CERT_ADMIN'),
  'PUT /v3/campaign-templates/:id/schedule': anyOf('CERT_ADMIN'),
  'DELETE /v3/campaign-templates/:id/schedule': anyOf('CERT_ADMIN'),
  'POST /v3/campaign-templates/:id/generate': anyOf('CERT_ADMIN'),
  'GET /v3/certifications': user('CERT_ADMIN'),
  'GET /v3/certifications/:id': user('CERT_ADMIN'),
  'GET /v3/certifications/:id/access-review-items': user('CERT_ADMIN'),
  'POST /v3/certifications/:id/decide': user('CERT_ADMIN'),
  'POST /v3/certifications/:id/reassign': user('CERT_ADMIN'),
  'POST /v3/certifications/:id/sign-off': user('CERT_ADMIN'),
  'GET /v3/certifications/:id/decision-summary': user('CERT_ADMIN'),
  'GET /v3/certifications/:id/identity-summaries': user('CERT_ADMIN'),
  'GET /v3/certifications/:id/identity-summaries/:identitySummaryId': user('CERT_ADMIN'),
  'GET /v3/certifications/:id/access-summaries/:type': user('CERT_ADMIN'),
  'GET /v3/certifications/:id/reviewers': user('CERT_ADMIN'),
  'POST /v3/certifications/:id/reassign-async': user('CERT_ADMIN'),
  'GET /v3/certification-tasks': user('CERT_ADMIN'),
  'GET /v3/certification-tasks/:id': user('CERT_ADMIN'),
  'POST /provisio/v1/certifications/:id/revocation-preview': user('CERT_ADMIN'),
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
