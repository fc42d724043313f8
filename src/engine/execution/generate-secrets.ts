import type { SourceConfig } from '../../domain/config/config-schemas.js'
import { isEmptyTransform } from '../../domain/config/provisioning-policy-schema.js'
import { ConnectorError } from '../../domain/errors.js'
import type { ActivityItem } from '../../domain/execution/account-activity.js'
import { compileTransform } from '../../domain/transforms/compile-transform.js'
import type { TransformDefinition } from '../../domain/transforms/transform-types.js'
import type { EngineContext } from '../engine-context.js'

/** Values for a Create request's secret fields, from the source's CREATE policy (e.g. Create Password). */
export async function generateSecrets(
  ctx: EngineContext,
  source: SourceConfig,
  identity: Readonly<Record<string, unknown>>,
  items: readonly ActivityItem[],
): Promise<Map<string, string>> {
  const named = new Map<string, TransformDefinition>()
  for (const t of ctx.config.transforms) named.set(t.value.name ?? t.value.id ?? '', t.value)
  const fields = source.provisioningPolicies.find((p) => p.usageType === 'CREATE')?.fields ?? []
  const out = new Map<string, string>()
  for (const item of items) {
    const field = fields.find((f) => f.name === item.attribute)
    if (!field || isEmptyTransform(field.transform)) {
      throw new ConnectorError('TERMINAL', `no transform generates the secret field "${item.attribute}"`)
    }
    const transform = compileTransform(field.transform as TransformDefinition, {
      resolve: (id) => named.get(id),
      fieldAttributes: field.attributes ?? {},
    })
    const value = transform.evaluate({ identity, now: ctx.now })
    if (value === null) {
      throw new ConnectorError('TERMINAL', `the secret field "${item.attribute}" has no value`)
    }
    out.set(item.attribute, value)
  }
  return out
}
