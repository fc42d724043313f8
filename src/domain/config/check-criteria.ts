import { fold } from '../access/criteria-values.js'
import { validateProvisioningCriteria } from '../access/provisioning-criteria.js'
import { MAX_CRITERIA_LEVELS, normaliseProperty, validateRoleCriteria } from '../access/role-criteria.js'
import type { SourceConfig } from './config-schemas.js'
import { nearestName } from './nearest-name.js'
import { hint } from './unknown-fields.js'
import {
  accountSchemaOf,
  entitlementAttributesOf,
  findSource,
  type WorkspaceConfig,
} from './workspace-config.js'

type Report = (path: string, message: string) => void

const ROLE_NODE_FIELDS = ['operation', 'key', 'stringValue', 'children']
const ROLE_KEY_FIELDS = ['type', 'property', 'sourceId']
const PROVISIONING_NODE_FIELDS = ['operation', 'attribute', 'value', 'children']

/**
 * Role membership criteria, checked when the workspace loads with the very validation the planner compiles
 * them with (validateRoleCriteria), so a plan never meets criteria that validate passed. Also: no unknown
 * field in a node (a misspelt `stringvalue` would leave the leaf without a value), and every key names an
 * attribute that can hold a value: an identity attribute some identity profile produces, an attribute of
 * the source's account schema, an entitlement attribute of the source. Attributes are compared ignoring
 * case, as the evaluation reads them.
 */
export function checkRoleCriteria(
  config: WorkspaceConfig,
  criteria: unknown,
  path: string,
  report: Report,
): void {
  for (const problem of validateRoleCriteria(criteria)) reportAt(problem, path, report)
  const identityAttributes = producedIdentityAttributes(config)
  walkNodes(criteria, path, (node, at) => {
    unknownKeys(node, ROLE_NODE_FIELDS, at, report)
    const key = node['key']
    if (!isObject(key)) return
    unknownKeys(key, ROLE_KEY_FIELDS, `${at}.key`, report)
    const property = key['property']
    if (typeof property !== 'string' || normaliseProperty(property) === '') return
    const name = normaliseProperty(property)
    const where = `${at}.key.property`
    if (key['type'] === 'IDENTITY') {
      if (!identityAttributes.has(fold(name))) {
        const near = nearestName(name, identityAttributes.values())
        report(
          where,
          `no identity profile produces identity attribute "${name}", so this never matches` +
            (near !== undefined ? ` (did you mean "${near}"?)` : ''),
        )
      }
      return
    }
    const sourceId = key['sourceId']
    const source = typeof sourceId === 'string' ? findSource(config, sourceId) : undefined
    // A missing or unknown source is reported with the key's sourceId.
    if (!source) return
    if (key['type'] === 'ACCOUNT') {
      requireAttribute(
        name,
        accountAttributes(source),
        `an attribute of source "${source.name}"'s account schema`,
        where,
        report,
      )
    } else if (key['type'] === 'ENTITLEMENT') {
      requireAttribute(
        name,
        entitlementAttributesOf(source),
        `an entitlement attribute of source "${source.name}"`,
        where,
        report,
      )
    }
  })
}

/**
 * An access profile's provisioning criteria: the planner's validation (validateProvisioningCriteria), no
 * unknown field, and attributes of the profile's source's account schema (or `nativeIdentity`).
 */
export function checkProvisioningCriteria(
  source: SourceConfig | undefined,
  criteria: unknown,
  path: string,
  report: Report,
): void {
  for (const problem of validateProvisioningCriteria(criteria)) reportAt(problem, path, report)
  walkNodes(criteria, path, (node, at) => {
    unknownKeys(node, PROVISIONING_NODE_FIELDS, at, report)
    const attribute = node['attribute']
    if (!source || typeof attribute !== 'string' || attribute.trim() === '') return
    const name = attribute.trim()
    if (fold(name) === 'nativeidentity') return
    requireAttribute(
      name,
      accountAttributes(source),
      `an attribute of source "${source.name}"'s account schema`,
      `${at}.attribute`,
      report,
    )
  })
}

/** The identity attributes the identity profiles' mappings produce, folded; a disabled mapping produces none. */
export function producedIdentityAttributes(config: WorkspaceConfig): Map<string, string> {
  const out = new Map<string, string>()
  for (const { value: profile } of config.identityProfiles) {
    if (!profile.identityAttributeConfig.enabled) continue
    for (const m of profile.identityAttributeConfig.attributeTransforms) {
      out.set(fold(m.identityAttributeName), m.identityAttributeName)
    }
  }
  return out
}

function accountAttributes(source: SourceConfig): string[] {
  return accountSchemaOf(source).attributes.map((a) => a.name)
}

function requireAttribute(
  name: string,
  known: readonly string[],
  what: string,
  path: string,
  report: Report,
): void {
  if (known.some((k) => fold(k) === fold(name))) return
  const near = nearestName(name, known)
  report(
    path,
    `"${name}" is not ${what}, so this never matches` +
      (near !== undefined ? ` (did you mean "${near}"?)` : ''),
  )
}

/** A validation problem is `path: message`, its path relative to the criteria (`criteria` is the root). */
function reportAt(problem: string, base: string, report: Report): void {
  const colon = problem.indexOf(': ')
  const rel = colon < 0 ? 'criteria' : problem.slice(0, colon)
  const message = colon < 0 ? problem : problem.slice(colon + 2)
  report(rel === 'criteria' ? base : `${base}.${rel}`, message)
}

/**
 * Every node of a criteria tree down to the deepest level allowed: a deeper node is already reported as
 * too deep, and a hostile file nesting thousands of levels must not exhaust the stack.
 */
function walkNodes(
  node: unknown,
  path: string,
  visit: (node: Record<string, unknown>, path: string) => void,
  level = 1,
): void {
  if (!isObject(node) || level > MAX_CRITERIA_LEVELS) return
  visit(node, path)
  const children = node['children']
  if (Array.isArray(children)) {
    children.forEach((c, i) => walkNodes(c, `${path}.children[${i}]`, visit, level + 1))
  }
}

function unknownKeys(
  obj: Record<string, unknown>,
  known: readonly string[],
  path: string,
  report: Report,
): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) report(`${path}.${key}`, `unknown field${hint(key, known)}`)
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
