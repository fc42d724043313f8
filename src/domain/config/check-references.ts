import type { ConfigProblem } from '../errors.js'
import { compileRetryablePatterns } from '../execution/classify-error.js'
import type { TransformDefinition } from '../transforms/transform-types.js'
import { checkAccessProfiles, checkRoles } from './check-access.js'
import { checkGovernanceGroups } from './check-approvals.js'
import { checkCampaignReportsConfig } from './check-campaign-reports.js'
import { checkLifecycleStates } from './check-lifecycle-states.js'
import { checkProvisioning } from './check-provisioning.js'
import { checkTransform, referencedTransformNames, type TransformCheckContext } from './check-transform.js'
import { accountSchemaOf, type Located, type WorkspaceConfig } from './workspace-config.js'
import { findPlainSecrets } from './secret-ref.js'

/**
 * Checks what a per-object schema cannot: names are unique, references between objects resolve,
 * transforms compile, schema attributes named by other fields exist, secrets are references, and the
 * rules that span fields (lifecycle-state source lists, role membership, one policy per usage).
 */
export function checkReferences(config: WorkspaceConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  const sourceNames = new Set<string>()
  const transformNames = new Map<string, TransformDefinition>()

  duplicates(config.sources, 'source', problems).forEach((n) => sourceNames.add(n))
  for (const t of config.transforms) {
    const name = t.value.name ?? t.value.id
    if (name === undefined) {
      problems.push({
        file: t.file,
        object: 'transform',
        path: 'name',
        message: 'a named transform needs a name',
      })
    } else if (transformNames.has(name)) {
      problems.push({ file: t.file, object: `transform "${name}"`, path: 'name', message: 'duplicate name' })
    } else transformNames.set(name, t.value)
  }
  duplicates(config.identityProfiles, 'identity profile', problems)
  duplicates(config.accessProfiles, 'access profile', problems)
  duplicates(config.roles, 'role', problems)
  duplicates(config.governanceGroups, 'governance group', problems)
  const resolve = (id: string): TransformDefinition | undefined => transformNames.get(id)
  const transforms: TransformCheckContext = { resolve, sourceNames }

  for (const { file, value: source } of config.sources) {
    const object = `source "${source.name}"`
    const schema = accountSchemaOf(source)
    const attrs = new Set(schema.attributes.map((a) => a.name))
    const schemaPath = `schemas[${source.schemas.indexOf(schema)}]`
    // The reference requires an owner: a flat-file source's manual tasks must always go to someone.
    if (source.owner === undefined) {
      problems.push({
        file,
        object,
        path: 'owner',
        message:
          'required: the identity who owns the source and receives its manual tasks, e.g. owner: { type: IDENTITY, name: jane.doe }',
      })
    }
    const need = (name: string | undefined, path: string): void => {
      if (name !== undefined && !attrs.has(name)) {
        problems.push({ file, object, path, message: `"${name}" is not an attribute of the account schema` })
      }
    }
    need(schema.identityAttribute, `${schemaPath}.identityAttribute`)
    need(schema.displayAttribute, `${schemaPath}.displayAttribute`)
    source.accountCorrelationConfig?.attributeAssignments.forEach((a, i) =>
      need(a.value, `accountCorrelationConfig.attributeAssignments[${i}].value`),
    )
    need(
      source.managerCorrelationMapping?.accountAttributeName,
      'managerCorrelationMapping.accountAttributeName',
    )
    for (const path of findPlainSecrets(source.connectorAttributes, 'connectorAttributes')) {
      problems.push({
        file,
        object,
        path,
        message: 'a secret must be a reference like ${env:NAME} or ${file:PATH}, not a value',
      })
    }
    checkProvisioning(source, transforms, { file, object }, problems)
    const retryable = source.connectorAttributes['retryableErrors']
    if (retryable !== undefined) {
      if (!Array.isArray(retryable) || retryable.some((p) => typeof p !== 'string')) {
        problems.push({
          file,
          object,
          path: 'connectorAttributes.retryableErrors',
          message: 'must be a list of texts',
        })
      } else {
        const compiled = compileRetryablePatterns(retryable as string[])
        if (!compiled.ok) {
          for (const p of compiled.problems) {
            problems.push({
              file,
              object,
              path: `connectorAttributes.retryableErrors[${p.index}]`,
              message: p.message,
            })
          }
        }
      }
    }
  }

  // A named transform reading a source the workspace lacks only fails when something evaluates it.
  const used = referencedTransformNames(
    [
      ...config.identityProfiles.flatMap((p) =>
        p.value.identityAttributeConfig.attributeTransforms.map((m) => m.transformDefinition),
      ),
      ...config.sources.flatMap((s) =>
        s.value.provisioningPolicies.flatMap((p) => p.fields.map((f) => f.transform)),
      ),
    ],
    resolve,
  )
  for (const { file, value: t } of config.transforms) {
    const name = t.name ?? t.id
    const check: TransformCheckContext =
      name !== undefined && used.has(name) ? transforms : { ...transforms, missingSource: 'warning' }
    checkTransform(t, check, { file, object: `transform "${t.name ?? '?'}"`, path: '' }, problems)
  }

  for (const { file, value: profile } of config.identityProfiles) {
    const object = `identity profile "${profile.name}"`
    const auth = profile.authoritativeSource.name ?? profile.authoritativeSource.id ?? ''
    const source = config.sources.find((s) => s.value.name === auth || s.value.id === auth)?.value
    if (!source) {
      problems.push({ file, object, path: 'authoritativeSource', message: `no source named "${auth}"` })
    }
    profile.identityAttributeConfig.attributeTransforms.forEach((m, i) => {
      const path = `identityAttributeConfig.attributeTransforms[${i}].transformDefinition`
      checkTransform(m.transformDefinition, transforms, { file, object, path }, problems)
    })
    checkLifecycleStates(config, profile, { file, object }, problems)
  }
  checkAccessProfiles(config, problems)
  checkRoles(config, problems)
  checkGovernanceGroups(config, problems)
  checkCampaignReportsConfig(config, problems)

  config.settings.schedules.forEach((s, i) => {
    if (s.task === 'aggregate' && (s.source === undefined || !sourceNames.has(s.source))) {
      problems.push({
        file: 'provisio.yaml',
        object: 'workspace',
        path: `schedules[${i}].source`,
        message:
          s.source === undefined ? 'an aggregate schedule names a source' : `no source named "${s.source}"`,
      })
    }
    if (s.task === 'process' && s.source !== undefined) {
      problems.push({
        file: 'provisio.yaml',
        object: 'workspace',
        path: `schedules[${i}].source`,
        message: 'a process schedule processes every identity: only an aggregate schedule names a source',
      })
    }
  })
  return problems
}

function duplicates(
  objects: readonly Located<{ name: string }>[],
  kind: string,
  problems: ConfigProblem[],
): Set<string> {
  const seen = new Set<string>()
  for (const { file, value } of objects) {
    if (seen.has(value.name)) {
      problems.push({ file, object: `${kind} "${value.name}"`, path: 'name', message: 'duplicate name' })
    }
    seen.add(value.name)
  }
  return seen
}
