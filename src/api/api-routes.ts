import type { ApiContext } from './api-context.js'
import type { Api } from './build-api.js'
import { oidcRoutes } from './auth/oidc-routes.js'
import { passwordRoutes } from './auth/password-routes.js'
import { signInRoutes } from './auth/sign-in-routes.js'
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
import { notificationRoutes } from './provisio/notification-routes.js'
// Operational routes (accounts' actions, entitlements, identities, activities, work items, plan, tasks).
import { entitlementRoutes } from './beta/entitlements/entitlement-routes.js'
import { identityRoutes } from './beta/identities/identity-routes.js'
import { taskStatusRoutes } from './beta/task-status/task-status-routes.js'
import { planRoutes } from './provisio/plan-routes.js'
import { accountActionRoutes } from './v3/accounts/account-action-routes.js'
import { activityRoutes } from './v3/account-activities/activity-routes.js'
import { lifecycleRoutes } from './v3/identities/lifecycle-routes.js'
import { loadAccountsRoutes } from './v3/sources/load-accounts-routes.js'
import { workItemRoutes } from './v3/work-items/work-item-routes.js'
import { identityProfileRoutes } from './v3/identity-profiles/identity-profile-routes.js'
import { roleRoutes } from './v3/roles/role-routes.js'
import { sourcePartRoutes } from './v3/sources/source-part-routes.js'
import { sourceRoutes } from './v3/sources/source-routes.js'
import { transformRoutes } from './v3/transforms/transform-routes.js'
import { accessRequestRoutes } from './v3/access-requests/access-request-routes.js'
import { approvalRoutes } from './v3/access-requests/approval-routes.js'
import { requestableObjectRoutes } from './v3/access-requests/requestable-object-routes.js'
// Access requests' configuration: governance groups, the tenant's access request configuration.
import { governanceGroupRoutes } from './beta/governance-groups/governance-group-routes.js'
import { accessRequestConfigRoutes } from './v3/access-request-config/access-request-config-routes.js'
// Certifications: campaigns, reviewers' certifications and decisions, previews and reports.
import { campaignReportRoutes } from './provisio/campaign-report-routes.js'
import { revocationPreviewRoutes } from './provisio/revocation-preview-routes.js'
import { campaignLifecycleRoutes } from './v3/campaigns/campaign-lifecycle-routes.js'
import { campaignReportRunRoutes } from './v3/campaigns/campaign-report-run-routes.js'
import { campaignRoutes } from './v3/campaigns/campaign-routes.js'
import { campaignTemplateRoutes } from './v3/campaign-templates/campaign-template-routes.js'
import { certificationDecisionRoutes } from './v3/certifications/certification-decision-routes.js'
import { certificationSummaryRoutes } from './v3/certifications/certification-summary-routes.js'
import { certificationTaskRoutes } from './v3/certifications/certification-task-routes.js'
import { certificationRoutes } from './v3/certifications/certification-routes.js'

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
  notificationRoutes(api, ctx)
  // Operational routes
  accountActionRoutes(api, ctx)
  entitlementRoutes(api, ctx)
  identityRoutes(api, ctx)
  lifecycleRoutes(api, ctx)
  activityRoutes(api, ctx)
  workItemRoutes(api, ctx)
  planRoutes(api, ctx)
  loadAccountsRoutes(api, ctx)
  taskStatusRoutes(api, ctx)
  sourceRoutes(api, ctx)
  sourcePartRoutes(api, ctx)
  transformRoutes(api, ctx)
  roleRoutes(api, ctx)
  accessProfileRoutes(api, ctx)
  identityProfileRoutes(api, ctx)
  configRoutes(api, ctx)
  // Access requests and their approvals (docs/access-requests.md)
  accessRequestRoutes(api, ctx)
  approvalRoutes(api, ctx)
  requestableObjectRoutes(api, ctx)
  governanceGroupRoutes(api, ctx)
  accessRequestConfigRoutes(api, ctx)
  // Certifications (docs/certifications.md)
  campaignRoutes(api, ctx)
  campaignTemplateRoutes(api, ctx)
  campaignLifecycleRoutes(api, ctx)
  campaignReportRoutes(api, ctx)
  campaignReportRunRoutes(api, ctx)
  certificationRoutes(api, ctx)
  certificationDecisionRoutes(api, ctx)
  certificationSummaryRoutes(api, ctx)
  certificationTaskRoutes(api, ctx)
  revocationPreviewRoutes(api, ctx)
}
