import type { ConfigProblem } from '../errors.js'
import { isEmptyTransform, type SourceConfig } from './config-schemas.js'
import { checkTransform, type ProblemSite, type TransformCheckContext } from './check-transform.js'
import { accountSchemaOf } from './workspace-config.js'

/**
 * A source's provisioning policies and attribute sync: one policy per usage type, unique field names,
 * field transforms that compile with the field's attributes, sync targets that are single-valued
 * account attributes.
 */
export function checkProvisioning(
  source: SourceConfig,
  transforms: TransformCheckContext,
  at: Omit<ProblemSite, 'path'>,
  problems: ConfigProblem[],
): void {
  const report = (path: string, message: string): void => void problems.push({ ...at, path, message })
  const policyFor = new Map<string, number>()
  source.provisioningPolicies.forEach((policy, i) => {
    const base = `provisioningPolicies[${i}]`
    const first = policyFor.get(policy.usageType)
    if (first !== undefined) {
      report(
        `${base}.usageType`,
        `duplicate usageType ${policy.usageType} (also provisioningPolicies[${first}]): one policy per usage`,
      )
    } else policyFor.set(policy.usageType, i)
    const fieldAt = new Map<string, number>()
    policy.fields.forEach((field, j) => {
      const path = `${base}.fields[${j}]`
      const earlier = fieldAt.get(field.name)
      if (earlier !== undefined) {
        report(`${path}.name`, `duplicate field "${field.name}" (also ${base}.fields[${earlier}])`)
      } else fieldAt.set(field.name, j)
      // `{}` is the reference's "no value" (the UI's Disable mapping): nothing to compile.
      if (isEmptyTransform(field.transform)) {
        // A secret is generated when the account is created; with nothing to generate it, every create fails.
        if (field.type === 'secret' && policy.usageType === 'CREATE') {
          report(
            `${path}.transform`,
            'a secret field needs a transform that generates it, e.g. the rule Create Password',
          )
        }
        return
      }
      checkTransform(
        field.transform,
        transforms,
        { ...at, path: `${path}.transform` },
        problems,
        field.attributes,
      )
    })
  })
  checkAttributeSync(source, report)
}

function checkAttributeSync(source: SourceConfig, report: (path: string, message: string) => void): void {
  const attrs = new Map(accountSchemaOf(source).attributes.map((a) => [a.name, a]))
  const seen = new Set<string>()
  source.attributeSyncConfig?.attributes.forEach((sync, i) => {
    const path = `attributeSyncConfig.attributes[${i}]`
    if (seen.has(sync.name)) report(`${path}.name`, `duplicate attribute "${sync.name}"`)
    seen.add(sync.name)
    if (sync.target === undefined) {
      // Without a target, the account attribute is the one a CREATE or UPDATE field maps straight from it.
      if (directlyMapped(source, sync.name).length === 0) {
        report(
          `${path}.target`,
          `needed: no CREATE or UPDATE field maps identity attribute "${sync.name}" directly`,
        )
      }
      return
    }
    const target = attrs.get(sync.target)
    if (!target) report(`${path}.target`, `"${sync.target}" is not an attribute of the account schema`)
    else if (target.isMulti) report(`${path}.target`, `"${sync.target}" is multi-valued: it cannot be synced`)
  })
}

/** The account attributes that a CREATE or UPDATE field sets to the identity attribute as it is. */
export function directlyMapped(source: SourceConfig, identityAttribute: string): string[] {
  return source.provisioningPolicies
    .filter((p) => p.usageType === 'CREATE' || p.usageType === 'UPDATE')
    .flatMap((p) => p.fields)
    .filter(
      (f) =>
        f.transform.type === 'identityAttribute' && f.transform.attributes?.['name'] === identityAttribute,
    )
    .map((f) => f.name)
}
