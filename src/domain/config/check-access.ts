import type { ConfigProblem } from '../errors.js'
import type { EntitlementRefConfig, SourceConfig } from './config-schemas.js'
import { checkApprovalSchemes } from './check-approvals.js'
import { walkObjects } from './check-transform.js'
import { checkProvisioningCriteria, checkRoleCriteria } from './check-criteria.js'
import { refKeys, refLabel, type ObjectRef } from './schema-primitives.js'
import {
  entitlementAttributesOf,
  findAccessProfile,
  findSource,
  type WorkspaceConfig,
} from './workspace-config.js'

type Report = (path: string, message: string, severity?: 'warning') => void

function resolveSource(config: WorkspaceConfig, ref: ObjectRef): SourceConfig | undefined {
  for (const key of refKeys(ref)) {
    const source = findSource(config, key)
    if (source) return source
  }
  return undefined
}

/** Access profiles: the source exists, entitlements come from it and name an entitlement attribute. */
export function checkAccessProfiles(config: WorkspaceConfig, problems: ConfigProblem[]): void {
  for (const { file, value: ap } of config.accessProfiles) {
    const report: Report = (path, message, severity) =>
      void problems.push({
        file,
        object: `access profile "${ap.name}"`,
        path,
        message,
        ...(severity ? { severity } : {}),
      })
    checkApprovalSchemes(config, ap, 'access profile', report)
    // The reference: "If it's enabled, you must include at least one entitlement".
    if (ap.enabled && ap.entitlements.length === 0) {
      report('entitlements', 'an enabled access profile needs at least one entitlement')
    }
    const source = resolveSource(config, ap.source)
    if (ap.provisioningCriteria !== undefined) {
      checkProvisioningCriteria(source, ap.provisioningCriteria, 'provisioningCriteria', report)
    }
    if (!source) {
      report('source', `no source named "${refLabel(ap.source)}"`)
      continue
    }
    ap.entitlements.forEach((e, i) => {
      const own =
        e.source === undefined || refKeys(e.source).some((k) => k === source.name || k === source.id)
      if (!own) {
        report(
          `entitlements[${i}].source`,
          `an access profile's entitlements come from its own source "${source.name}"`,
        )
      } else checkEntitlement(source, e, `entitlements[${i}]`, report)
    })
  }
}

/** Roles: access profiles and entitlement sources exist, membership has what its type needs. */
export function checkRoles(config: WorkspaceConfig, problems: ConfigProblem[]): void {
  for (const { file, value: role } of config.roles) {
    const report: Report = (path, message, severity) =>
      void problems.push({
        file,
        object: `role "${role.name}"`,
        path,
        message,
        ...(severity ? { severity } : {}),
      })
    checkApprovalSchemes(config, role, 'role', report)
    role.accessProfiles.forEach((ref, i) => {
      if (!refKeys(ref).some((k) => findAccessProfile(config, k))) {
        report(`accessProfiles[${i}]`, `no access profile named "${refLabel(ref)}"`)
      }
    })
    role.entitlements.forEach((e, i) => {
      const source = resolveSource(config, e.source)
      if (!source) report(`entitlements[${i}].source`, `no source named "${refLabel(e.source)}"`)
      else checkEntitlement(source, e, `entitlements[${i}]`, report)
    })
    const membership = role.membership
    if (membership?.type === 'STANDARD' && membership.criteria === undefined) {
      report('membership.criteria', 'a STANDARD membership needs criteria')
    }
    if (membership?.type === 'IDENTITY_LIST' && membership.identities === undefined) {
      report('membership.identities', 'an IDENTITY_LIST membership needs identities')
    }
    if (membership?.type === 'STANDARD' && membership.criteria !== undefined) {
      checkRoleCriteria(config, membership.criteria, 'membership.criteria', report)
    }
    // A source the criteria name, at any depth, exists.
    walkObjects(membership?.criteria, 'membership.criteria', (node, path) => {
      const key = node['key']
      if (key === null || typeof key !== 'object') return
      const sourceId = (key as Record<string, unknown>)['sourceId']
      if (typeof sourceId === 'string' && !findSource(config, sourceId)) {
        report(`${path}.key.sourceId`, `no source named "${sourceId}"`)
      }
    })
  }
}

/**
 * An entitlement by value names its attribute, or its source has exactly one entitlement attribute to
 * default to. One by name or id is an aggregated entitlement, looked up when the planner runs.
 */
function checkEntitlement(source: SourceConfig, e: EntitlementRefConfig, path: string, report: Report): void {
  const attrs = entitlementAttributesOf(source)
  const list = attrs.map((a) => `"${a}"`).join(', ')
  if (e.attribute !== undefined) {
    if (!attrs.includes(e.attribute)) {
      report(
        `${path}.attribute`,
        `"${e.attribute}" is not an entitlement attribute of source "${source.name}"` +
          (attrs.length > 0 ? ` (it has ${list})` : ''),
      )
    }
  } else if (e.value !== undefined && attrs.length !== 1) {
    report(
      `${path}.attribute`,
      attrs.length === 0
        ? `source "${source.name}" has no entitlement attribute (isEntitlement) in its account schema`
        : `needed: source "${source.name}" has several entitlement attributes (${list})`,
    )
  }
}
