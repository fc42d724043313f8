import type { ConfigProblem } from '../errors.js'
import { parseGrantRequestApprovalSchemes } from './access-request-config-schema.js'
import type { AccessProfileConfig, RoleConfig } from './config-schemas.js'
import { findGovernanceGroup, type WorkspaceConfig } from './workspace-config.js'

type Report = (path: string, message: string, severity?: 'warning') => void

/** The approver types Provisio decides approval steps for. */
export const APPROVER_TYPES = ['MANAGER', 'OWNER', 'SOURCE_OWNER', 'APP_OWNER', 'GOVERNANCE_GROUP'] as const
export type ApproverType = (typeof APPROVER_TYPES)[number]

/** The reference's other approver types, each refused with why. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  WORKFLOW: 'Provisio runs no workflows',
  ALL_OWNERS: 'an object has one owner in Provisio (use OWNER)',
  ADDITIONAL_OWNER: 'an object has one owner in Provisio (use OWNER)',
  ADDITIONAL_GOVERNANCE_GROUP: 'name the group in a GOVERNANCE_GROUP step',
}

/** A role's access comes from several sources: the reference has no source or application owner step for it. */
const NOT_FOR_ROLES: Readonly<Record<string, string>> = {
  SOURCE_OWNER: "a role's access comes from several sources, so it has no source owner",
  APP_OWNER: 'a role belongs to no application',
}

type Scheme = { approverType: string; approverId?: string | null | undefined }

/**
 * The approval steps of an access profile's or role's `accessRequestConfig` and `revocationRequestConfig`:
 * each approver type is one Provisio decides, and a GOVERNANCE_GROUP step names an existing group (by id or
 * name) in `approverId`, which no other step has.
 */
export function checkApprovalSchemes(
  config: WorkspaceConfig,
  object: AccessProfileConfig | RoleConfig,
  kind: 'access profile' | 'role',
  report: Report,
): void {
  const lists: [string, readonly Scheme[] | undefined][] = [
    ['accessRequestConfig.approvalSchemes', object.accessRequestConfig?.approvalSchemes],
    ['revocationRequestConfig.approvalSchemes', object.revocationRequestConfig?.approvalSchemes],
  ]
  for (const [base, schemes] of lists) {
    schemes?.forEach((scheme, i) => checkScheme(config, scheme, `${base}[${i}]`, kind, report))
  }
}

function checkScheme(
  config: WorkspaceConfig,
  scheme: Scheme,
  path: string,
  kind: 'access profile' | 'role',
  report: Report,
): void {
  const type = scheme.approverType
  const id = scheme.approverId ?? undefined
  const unsupported = UNSUPPORTED[type] ?? (kind === 'role' ? NOT_FOR_ROLES[type] : undefined)
  if (unsupported !== undefined) {
    report(`${path}.approverType`, `${type} is not supported: ${unsupported}`)
    return
  }
  if (!(APPROVER_TYPES as readonly string[]).includes(type)) {
    const allowed = APPROVER_TYPES.filter((t) => kind === 'access profile' || !NOT_FOR_ROLES[t])
    report(`${path}.approverType`, `unknown approver type "${type}": one of ${allowed.join(', ')}`)
    return
  }
  if (type !== 'GOVERNANCE_GROUP') {
    if (id !== undefined) {
      report(`${path}.approverId`, `only a GOVERNANCE_GROUP step names an approver; a ${type} step has none`)
    }
    return
  }
  if (id === undefined || id.trim() === '') {
    report(`${path}.approverId`, 'required: the governance group (its id or name) that approves this step')
    return
  }
  const group = findGovernanceGroup(config, id)
  if (!group) report(`${path}.approverId`, `no governance group "${id}"`)
  else if (group.members.length === 0) {
    report(`${path}.approverId`, `governance group "${group.name}" has no members to approve`, 'warning')
  }
}

/**
 * Governance groups themselves (a member listed once) and the tenant's entitlement approval schemes, whose
 * `workgroup:{id}` steps name existing groups.
 */
export function checkGovernanceGroups(config: WorkspaceConfig, problems: ConfigProblem[]): void {
  for (const { file, value: group } of config.governanceGroups) {
    const seen = new Set<string>()
    group.members.forEach((m, i) => {
      const key = m.id !== undefined ? `id:${m.id}` : `name:${m.name ?? ''}`
      if (seen.has(key)) {
        problems.push({
          file,
          object: `governance group "${group.name}"`,
          path: `members[${i}]`,
          message: `"${m.id ?? m.name ?? ''}" is listed twice`,
        })
      }
      seen.add(key)
    })
  }
  const schemes = config.settings.accessRequestConfig.entitlementRequestConfig.grantRequestApprovalSchemes
  for (const step of parseGrantRequestApprovalSchemes(schemes).steps) {
    if (step.type === 'workgroup' && !findGovernanceGroup(config, step.id)) {
      problems.push({
        file: 'provisio.yaml',
        object: 'workspace',
        path: 'accessRequestConfig.entitlementRequestConfig.grantRequestApprovalSchemes',
        message: `workgroup:${step.id} names no governance group`,
      })
    }
  }
}
