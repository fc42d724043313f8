import type { GovernanceGroupConfig } from './governance-group-schema.js'
import type { WorkspaceConfig } from './workspace-config.js'

/** An object that uses a governance group: an access profile or role with an approval step it decides. */
export interface GovernanceGroupConnection {
  readonly type: 'ACCESS_PROFILE' | 'ROLE'
  readonly id: string
  readonly name: string
  readonly description: string | undefined
  /** The reference's word for an approval step's group. */
  readonly connectionType: 'AccessRequestReviewer'
}

/**
 * The access profiles and roles whose request or revocation approval schemes name this group (by id or
 * name), each once: what the reference calls the group's connections.
 */
export function governanceGroupConnections(
  config: WorkspaceConfig,
  group: Pick<GovernanceGroupConfig, 'id' | 'name'>,
): GovernanceGroupConnection[] {
  const names = (id: string | null | undefined): boolean =>
    id !== null && id !== undefined && (id === group.id || id === group.name)
  const uses = (o: {
    accessRequestConfig?: { approvalSchemes?: { approverType: string; approverId?: string | null }[] }
    revocationRequestConfig?: { approvalSchemes?: { approverType: string; approverId?: string | null }[] }
  }): boolean =>
    [
      ...(o.accessRequestConfig?.approvalSchemes ?? []),
      ...(o.revocationRequestConfig?.approvalSchemes ?? []),
    ].some((s) => s.approverType === 'GOVERNANCE_GROUP' && names(s.approverId))
  const of =
    (type: 'ACCESS_PROFILE' | 'ROLE') =>
    (o: {
      id?: string | undefined
      name: string
      description?: string | undefined
    }): GovernanceGroupConnection => ({
      type,
      id: o.id ?? '',
      name: o.name,
      description: o.description,
      connectionType: 'AccessRequestReviewer',
    })
  return [
    ...config.accessProfiles
      .map((o) => o.value)
      .filter(uses)
      .map(of('ACCESS_PROFILE')),
    ...config.roles
      .map((o) => o.value)
      .filter(uses)
      .map(of('ROLE')),
  ]
}
