import type { IdentityProfileConfig } from '../config/config-schemas.js'
import { coerceError } from '../errors.js'
import { compileTransform } from '../transforms/compile-transform.js'
import type {
  CompiledTransform,
  TransformAccount,
  TransformContext,
  TransformResolver,
} from '../transforms/transform-types.js'
import { stableHash } from '../stable-hash.js'

/** The identity attribute that holds the lifecycle state's technical name. */
export const LIFECYCLE_ATTRIBUTE = 'cloudLifecycleState'

export interface IdentityInputs {
  readonly accounts: readonly TransformAccount[]
  readonly manager?: Readonly<Record<string, unknown>> | null
  readonly findIdentity?: TransformContext['findIdentity']
  readonly now?: () => Date
}

export interface BuiltIdentity {
  readonly attributes: Record<string, string | null>
  /** One message per attribute whose transform failed (that attribute is null). */
  readonly errors: string[]
}

export interface CompiledIdentityProfile {
  readonly name: string
  readonly authoritativeSource: string
  /** Changes whenever the profile's mappings change, so every identity is re-processed. */
  readonly configHash: string
  /** Whether a mapping reads the manager's attributes (they are known only after manager correlation). */
  readonly usesManager: boolean
  /**
   * The sources whose accounts the mappings read (besides the authoritative one), or 'all' when a
   * mapping names its source in a way that cannot be known before evaluation. Accounts on other
   * sources are not inputs: aggregating them does not re-process the identity.
   */
  readonly sourcesRead: ReadonlySet<string> | 'all'
  build(inputs: IdentityInputs): BuiltIdentity
}

/**
 * Compiles an identity profile's attribute mappings once; `build` then evaluates them in order for
 * each identity, so a later mapping's `identityAttribute` sees an earlier one's value.
 */
export function compileIdentityProfile(
  profile: IdentityProfileConfig,
  resolve: TransformResolver,
  /** A hash of the workspace's named transforms, which mappings may reference. */
  namedTransformsHash = '',
): CompiledIdentityProfile {
  const mappings: { name: string; transform: CompiledTransform }[] = profile.identityAttributeConfig.enabled
    ? profile.identityAttributeConfig.attributeTransforms.map((m) => ({
        name: m.identityAttributeName,
        transform: compileTransform(m.transformDefinition, { resolve }),
      }))
    : []
  const definition = JSON.stringify(profile.identityAttributeConfig)
  return {
    name: profile.name,
    authoritativeSource: profile.authoritativeSource.name ?? profile.authoritativeSource.id ?? '',
    configHash: stableHash([profile.identityAttributeConfig, namedTransformsHash]),
    usesManager: definition.includes('getReferenceIdentityAttribute'),
    sourcesRead: sourcesRead(profile, resolve),
    build(inputs) {
      const attributes: Record<string, string | null> = {}
      const errors: string[] = []
      const ctx: TransformContext = {
        identity: attributes,
        accounts: inputs.accounts,
        manager: inputs.manager ?? null,
        ...(inputs.findIdentity ? { findIdentity: inputs.findIdentity } : {}),
        ...(inputs.now ? { now: inputs.now } : {}),
      }
      for (const m of mappings) {
        try {
          attributes[m.name] = m.transform.evaluate(ctx)
        } catch (err) {
          attributes[m.name] = null
          errors.push(`${m.name}: ${coerceError(err).message}`)
        }
      }
      return { attributes, errors }
    },
  }
}

/** Source names that `accountAttribute` transforms of the profile (and the named transforms it references) read. */
function sourcesRead(
  profile: IdentityProfileConfig,
  resolve: TransformResolver,
): ReadonlySet<string> | 'all' {
  const names = new Set<string>()
  const seen = new Set<string>()
  let all = false
  const visit = (value: unknown): void => {
    if (all || value === null || typeof value !== 'object') return
    if (Array.isArray(value)) return value.forEach(visit)
    const obj = value as Record<string, unknown>
    const attrs = (obj['attributes'] ?? {}) as Record<string, unknown>
    if (obj['type'] === 'accountAttribute') {
      const name = attrs['sourceName'] ?? attrs['applicationName']
      if (typeof name === 'string' && !name.includes('$')) names.add(name.replace(/ \[source\]$/, ''))
      else all = true
    }
    if (obj['type'] === 'reference' && typeof attrs['id'] === 'string' && !seen.has(attrs['id'])) {
      seen.add(attrs['id'])
      visit(resolve(attrs['id']))
    }
    Object.values(obj).forEach(visit)
  }
  visit(profile.identityAttributeConfig.attributeTransforms)
  return all ? 'all' : names
}
