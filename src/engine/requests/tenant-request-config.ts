import type { EngineContext } from '../engine-context.js'

/**
 * The tenant's access request configuration (`accessRequestConfig:` of provisio.yaml, the reference's
 * `AccessRequestConfig`) with every default filled.
 */
export interface TenantRequestConfig {
  readonly autoApprovalEnabled: boolean
  readonly requestOnBehalfOfConfig: {
    readonly allowRequestOnBehalfOfAnyoneByAnyone: boolean
    readonly allowRequestOnBehalfOfEmployeeByManager: boolean
  }
  readonly approvalReminderAndEscalationConfig: {
    readonly daysUntilEscalation: number | null
    readonly daysBetweenReminders: number | null
    readonly maxReminders: number | null
    readonly fallbackApproverRef: {
      readonly type?: string
      readonly id?: string
      readonly name?: string
    } | null
  }
  readonly entitlementRequestConfig: {
    readonly allowEntitlementRequest: boolean
    readonly requestCommentsRequired: boolean
    readonly deniedCommentsRequired: boolean
    readonly grantRequestApprovalSchemes: string | null
  }
}

export const TENANT_REQUEST_DEFAULTS: TenantRequestConfig = {
  autoApprovalEnabled: false,
  requestOnBehalfOfConfig: {
    allowRequestOnBehalfOfAnyoneByAnyone: false,
    allowRequestOnBehalfOfEmployeeByManager: true,
  },
  approvalReminderAndEscalationConfig: {
    daysUntilEscalation: null,
    daysBetweenReminders: null,
    maxReminders: null,
    fallbackApproverRef: null,
  },
  entitlementRequestConfig: {
    allowEntitlementRequest: true,
    requestCommentsRequired: false,
    deniedCommentsRequired: false,
    grantRequestApprovalSchemes: 'sourceOwner',
  },
}

/** The workspace's tenant configuration, defaults filled. */
export function tenantRequestConfig(ctx: Pick<EngineContext, 'config'>): TenantRequestConfig {
  const settings = ctx.config.settings as { accessRequestConfig?: TenantRequestConfig }
  return settings.accessRequestConfig ?? TENANT_REQUEST_DEFAULTS
}
