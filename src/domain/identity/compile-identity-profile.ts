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
  /** Identities (by uid) that `getReferenceIdentityAttribute` reads, besides the manager. */
  readonly referencedUids: readonly string[]
  build(inputs: IdentityInputs): BuiltIdentity
  /**
   * Evaluates again only the mappings that read the manager (and those after them that read identity
   * attributes), once the manager is known; the other attributes are kept from `previous`.
   */
  rebuild(previous: BuiltIdentity, inputs: IdentityInputs): BuiltIdentity
}

interface Mapping {
  readonly name: string
  readonly transform: CompiledTransform
  readonly readsManager: boolean
  readonly readsIdentity: boolean
}

const MANAGER = /getReferenceIdentityAttribute|\$!?\{?manager\b/
const IDENTITY = /"identityAttribute"|\$!?\{?identity\b/

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
  const mappings: Mapping[] = profile.identityAttributeConfig.enabled
    ? profile.identityAttributeConfig.attributeTransforms.map((m) => {
        const text = expandedText(m.transformDefinition, resolve)
        return {
          name: m.identityAttributeName,
          transform: compileTransform(m.transformDefinition, { resolve }),
          readsManager: MANAGER.test(text),
          readsIdentity: IDENTITY.test(text),
        }
      })
    : []
  const evaluate = (
    inputs: IdentityInputs,
    attributes: Record<string, string | null>,
    errors: string[],
    only?: (m: Mapping, changedBefore: boolean) => boolean,
  ): BuiltIdentity => {
    const ctx: TransformContext = {
      identity: attributes,
      accounts: inputs.accounts,
      manager: inputs.manager ?? null,
      ...(inputs.findIdentity ? { findIdentity: inputs.findIdentity } : {}),
      ...(inputs.now ? { now: inputs.now } : {}),
    }
    let changed = false
    for (const m of mappings) {
      if (only && !only(m, changed)) continue
      changed = true
      const prefix = `${m.name}: `
      for (let i = errors.length - 1; i >= 0; i--) {
        if ((errors[i] as string).startsWith(prefix)) errors.splice(i, 1)
      }
      try {
        attributes[m.name] = m.transform.evaluate(ctx)
      } catch (err) {
        attributes[m.name] = null
        errors.push(prefix + coerceError(err).message)
      }
    }
    return { attributes, errors }
  }
  return {
    name: profile.name,
    authoritativeSource: profile.authoritativeSource.name ?? profile.authoritativeSource.id ?? '',
    configHash: stableHash([profile.identityAttributeConfig, namedTransformsHash]),
    usesManager: mappings.some((m) => m.readsManager),
    sourcesRead: sourcesRead(profile, resolve),
    referencedUids: referencedUids(profile, resolve),
    build: (inputs) => evaluate(inputs, {}, []),
    rebuild: (previous, inputs) =>
      evaluate(
        inputs,
        { ...previous.attributes },
        [...previous.errors],
        (m, changedBefore) => m.readsManager || (changedBefore && m.readsIdentity),
      ),
  }
}

/** A transform's JSON with the named transforms it references (recursively) appended. */
function expandedText(def: unknown, resolve: TransformResolver): string {
  const parts: string[] = []
  const seen = new Set<string>()
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return
    if (Array.isArray(value)) return value.forEach(visit)
    const obj = value as Record<string, unknown>
    const id = (obj['attributes'] as Record<string, unknown> | undefined)?.['id']
    if (obj['type'] === 'reference' && typeof id === 'string' && !seen.has(id)) {
      seen.add(id)
      const target = resolve(id)
      parts.push(JSON.stringify(target ?? null))
      visit(target)
    }
    Object.values(obj).forEach(visit)
  }
  parts.push(JSON.stringify(def))
  visit(def)
  return parts.join('\n')
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

/** The fixed `uid`s of `getReferenceIdentityAttribute` rules in the profile (other than `manager`). */
function referencedUids(profile: IdentityProfileConfig, resolve: TransformResolver): string[] {
  const uids = new Set<string>()
  for (const m of profile.identityAttributeConfig.attributeTransforms) {
    for (const text of expandedText(m.transformDefinition, resolve).split('\n')) {
      collect(JSON.parse(text) as unknown)
    }
  }
  return [...uids]

  function collect(value: unknown): void {
    if (value === null || typeof value !== 'object') return
    if (Array.isArray(value)) return value.forEach(collect)
    const obj = value as Record<string, unknown>
    const attrs = obj['attributes'] as Record<string, unknown> | undefined
    if (obj['type'] === 'rule' && attrs?.['operation'] === 'getReferenceIdentityAttribute') {
      const uid = attrs['uid']
      if (typeof uid === 'string' && uid !== 'manager') uids.add(uid)
    }
    Object.values(obj).forEach(collect)
  }
}
