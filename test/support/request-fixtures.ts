import type { WorkspaceConfig } from '../../src/domain/config/workspace-config.js'

/** The demo's Operations Team access profile (Corporate Directory, group ops-team). */
export const OPS_TEAM_ID = '5cd16061cf3ce7d357443945eb1a4da4'

/**
 * The demo with Operations Team requestable, approved by the requested-for identity's manager and then by
 * the access profile's owner (james.wilson); `extra` adds to its accessRequestConfig.
 */
export function withApprovals(config: WorkspaceConfig, extra: Record<string, unknown> = {}): WorkspaceConfig {
  return {
    ...config,
    accessProfiles: config.accessProfiles.map((ap) =>
      ap.value.id === OPS_TEAM_ID
        ? {
            ...ap,
            value: {
              ...ap.value,
              requestable: true,
              accessRequestConfig: {
                approvalSchemes: [{ approverType: 'MANAGER' }, { approverType: 'OWNER' }],
                ...extra,
              },
            },
          }
        : ap,
    ),
  }
}
