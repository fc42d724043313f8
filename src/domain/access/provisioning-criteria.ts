import { CriteriaError } from './criteria-error.js'
import { asNumber, asText, attributeElements, fold, readAttribute } from './criteria-values.js'
import {
  childPath,
  criteriaValueText,
  isGroupOperation,
  MAX_CRITERIA_LEVELS,
  problemPath,
  type CriteriaGroupOperation,
} from './role-criteria.js'

/**
 * Access-profile `provisioningCriteria` (`ProvisioningCriteriaLevel1..3`): which of an identity's
 * accounts on the profile's source receives the access, tested against ONE account's attributes.
 */
export const PROVISIONING_LEAF_OPERATIONS = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'HAS'] as const
export type ProvisioningLeafOperation = (typeof PROVISIONING_LEAF_OPERATIONS)[number]
export type ProvisioningCriteriaOperation = ProvisioningLeafOperation | CriteriaGroupOperation

export interface ProvisioningCriteriaNode<Child> {
  readonly operation: ProvisioningCriteriaOperation
  readonly attribute?: string | null
  readonly value?: string | null
  readonly children?: readonly Child[] | null
}
export type ProvisioningCriteriaLevel3 = ProvisioningCriteriaNode<never>
export type ProvisioningCriteriaLevel2 = ProvisioningCriteriaNode<ProvisioningCriteriaLevel3>
export type ProvisioningCriteriaLevel1 = ProvisioningCriteriaNode<ProvisioningCriteriaLevel2>
export type ProvisioningCriteria = ProvisioningCriteriaLevel1

export interface ProvisioningAccount {
  readonly attributes: Readonly<Record<string, unknown>>
  /** Read by an `attribute: nativeIdentity` test when no attribute of that name exists. */
  readonly nativeIdentity?: string
}

export interface CompiledProvisioningCriteria {
  matches(account: ProvisioningAccount): boolean
}

type AnyNode = ProvisioningCriteriaNode<AnyNode>
type Predicate = (account: ProvisioningAccount) => boolean

function isLeafOperation(op: unknown): op is ProvisioningLeafOperation {
  return (PROVISIONING_LEAF_OPERATIONS as readonly unknown[]).includes(op)
}

/**
 * Every problem, as `path: message`; empty when valid. Unlike role criteria, the reference does not
 * require AND and OR to alternate here, so AND under AND is accepted.
 */
export function validateProvisioningCriteria(criteria: unknown): string[] {
  const problems: string[] = []
  const check = (node: unknown, path: string, level: number): void => {
    const say = (field: string | undefined, message: string): void => {
      problems.push(`${problemPath(path, field)}: ${message}`)
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      say(undefined, 'must be an object with an "operation"')
      return
    }
    const n = node as Record<string, unknown>
    const op = n['operation']
    const has = (field: string): boolean => n[field] !== undefined && n[field] !== null
    if (op === undefined || op === null) {
      say('operation', 'required')
    } else if (isGroupOperation(op)) {
      // The reference: "specifying it results in an error" (attribute, value) on AND / OR.
      for (const field of ['attribute', 'value']) if (has(field)) say(field, `not allowed on ${op} nodes`)
      const children = n['children']
      if (!Array.isArray(children) || children.length === 0) {
        say('children', `required for ${op} (at least one child)`)
      } else if (level >= MAX_CRITERIA_LEVELS) {
        say('children', `too deep: at most ${MAX_CRITERIA_LEVELS} levels of criteria, including leaf nodes`)
      } else {
        children.forEach((child, i) => check(child, childPath(path, i), level + 1))
      }
    } else if (isLeafOperation(op)) {
      if (has('children')) say('children', `not allowed on ${op} (a leaf)`)
      const attribute = n['attribute']
      if (typeof attribute !== 'string' || attribute.trim() === '') say('attribute', `required for ${op}`)
      if (op === 'HAS') {
        if (has('value')) say('value', 'not allowed on HAS')
      } else if (criteriaValueText(n['value']) === undefined) {
        say('value', has('value') ? 'must be a non-empty string' : `required for ${op}`)
      }
    } else {
      say('operation', `unknown operation ${JSON.stringify(op)}`)
    }
  }
  check(criteria, '', 1)
  return problems
}

/**
 * Validates and compiles provisioning criteria; throws a CriteriaError listing every problem.
 *
 * Semantics, over one account (text compared ignoring case, as for role criteria):
 * - EQUALS: some value of the attribute equals `value`. A number-typed attribute is compared as a number
 *   ("the API will convert it": `5` equals "5.0"); a boolean as its text ("true").
 * - NOT_EQUALS: no value equals (so a missing attribute is not equal).
 * - CONTAINS: on a multi-valued attribute, some value equals `value` (list membership); on a single
 *   string, `value` is a substring; on a number or boolean, it equals.
 * - HAS: the attribute is present and not empty (not null, "", blank, or an empty list).
 */
export function compileProvisioningCriteria(criteria: ProvisioningCriteria): CompiledProvisioningCriteria {
  const problems = validateProvisioningCriteria(criteria)
  if (problems.length > 0) throw new CriteriaError('provisioning criteria', problems)
  const predicate = compileNode(criteria)
  return { matches: predicate }
}

function compileNode(node: AnyNode): Predicate {
  const op = node.operation
  if (isGroupOperation(op)) {
    const children = (node.children ?? []).map(compileNode)
    return op === 'AND' ? (a) => children.every((c) => c(a)) : (a) => children.some((c) => c(a))
  }
  const attribute = (node.attribute as string).trim()
  const read = (account: ProvisioningAccount): unknown => {
    const v = readAttribute(account.attributes, attribute)
    return v === undefined && fold(attribute) === 'nativeidentity' ? account.nativeIdentity : v
  }
  if (op === 'HAS') return (a) => attributeElements(read(a)).some((v) => asText(v).trim() !== '')
  const expected = criteriaValueText(node.value) as string
  const equals = (v: unknown): boolean => valueEquals(v, expected)
  switch (op) {
    case 'EQUALS':
      return (a) => attributeElements(read(a)).some(equals)
    case 'NOT_EQUALS':
      return (a) => !attributeElements(read(a)).some(equals)
    case 'CONTAINS':
      return (a) => {
        const raw = read(a)
        if (typeof raw === 'string') return fold(raw).includes(fold(expected))
        return attributeElements(raw).some(equals)
      }
  }
}

function valueEquals(actual: unknown, expected: string): boolean {
  if (typeof actual === 'number') {
    const n = asNumber(expected)
    if (n !== undefined) return n === actual
  }
  return fold(asText(actual)) === fold(expected)
}
