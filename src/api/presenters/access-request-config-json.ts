import type { AccessRequestConfig } from '../../domain/config/access-request-config-schema.js'

/** The fallback approver as the store knows them, when it does. */
export interface FallbackApprover {
  readonly id: string
  readonly name: string
  readonly email?: string | undefined
}

/**
 * The tenant's access request configuration as the reference's v3 `AccessRequestConfig`: every field, with
 * its default where the workspace says nothing. The fallback approver is `{type, id, name, email}` when the
 * identity is known, else as the workspace names them.
 */
export function accessRequestConfigJson(
  config: AccessRequestConfig,
  fallback: FallbackApprover | undefined,
): object {
  const escalation = config.approvalReminderAndEscalationConfig
  const ref = escalation.fallbackApproverRef
  return {
    approvalsMustBeExternal: config.approvalsMustBeExternal,
    autoApprovalEnabled: config.autoApprovalEnabled,
    reauthorizationEnabled: config.reauthorizationEnabled,
    requestOnBehalfOfConfig: { ...config.requestOnBehalfOfConfig },
    approvalReminderAndEscalationConfig: {
      daysUntilEscalation: escalation.daysUntilEscalation,
      daysBetweenReminders: escalation.daysBetweenReminders,
      maxReminders: escalation.maxReminders,
      fallbackApproverRef:
        ref === null
          ? null
          : fallback
            ? {
                type: 'IDENTITY',
                id: fallback.id,
                name: fallback.name,
                ...(fallback.email ? { email: fallback.email } : {}),
              }
            : {
                type: 'IDENTITY',
                ...(ref.id !== undefined ? { id: ref.id } : {}),
                ...(ref.name !== undefined ? { name: ref.name } : {}),
              },
    },
    entitlementRequestConfig: { ...config.entitlementRequestConfig },
  }
}
