/**
 * Role membership criteria (`membership.type: STANDARD`), in the reference API's JSON shape
 * (`RoleCriteriaLevel1..3`): a tree of AND / OR nodes over leaves that test an identity attribute, an
 * account attribute, or an entitlement. This file holds the shape and its validation; evaluation is in
 * `compile-role-criteria.ts`, the human-readable form in `describe-criteria.ts`.
 */

export const ROLE_CRITERIA_LEAF_OPERATIONS = [
  'EQUALS',
  'NOT_EQUALS',
  'CONTAINS',
  'DOES_NOT_CONTAIN',
  'STARTS_WITH',
  'ENDS_WITH',
  'GREATER_THAN',
  'LESS_THAN',
  'GREATER_THAN_EQUALS',
  'LESS_THAN_EQUALS',
] as const
export type RoleCriteriaLeafOperation = (typeof ROLE_CRITERIA_LEAF_OPERATIONS)[number]
export type CriteriaGroupOperation = 'AND' | 'OR'
export type RoleCriteriaOperation = RoleCriteriaLeafOperation | CriteriaGroupOperation

export const ROLE_CRITERIA_KEY_TYPES = ['IDENTITY', 'ACCOUNT', 'ENTITLEMENT'] as const
export type RoleCriteriaKeyType = (typeof ROLE_CRITERIA_KEY_TYPES)[number]

export interface RoleCriteriaKey {
  readonly type: RoleCriteriaKeyType
  /** `attribute.department` as the reference writes it, or bare `department`; both mean the same. */
  readonly property: string
  /** Required for ACCOUNT and ENTITLEMENT keys. */
  readonly sourceId?: string | null
}

/** One node; the three levels differ only in what their children may be. */
export interface RoleCriteriaNode<Child> {
  readonly operation: RoleCriteriaOperation
  readonly key?: RoleCriteriaKey | null
  readonly stringValue?: string | null
  readonly children?: readonly Child[] | null
}
export type RoleCriteriaLevel3 = RoleCriteriaNode<never>
export type RoleCriteriaLevel2 = RoleCriteriaNode<RoleCriteriaLevel3>
export type RoleCriteriaLevel1 = RoleCriteriaNode<RoleCriteriaLevel2>
export type RoleCriteria = RoleCriteriaLevel1

/** "A maximum of three levels of criteria are supported, including leaf nodes." */
export const MAX_CRITERIA_LEVELS = 3

export function isGroupOperation(op: unknown): op is CriteriaGroupOperation {
  return op === 'AND' || op === 'OR'
}

export function isRoleLeafOperation(op: unknown): op is RoleCriteriaLeafOperation {
  return (ROLE_CRITERIA_LEAF_OPERATIONS as readonly unknown[]).includes(op)
}

const PROPERTY_PREFIX = 'attribute.'

/** `attribute.department` → `department`; a bare name is kept. */
export function normaliseProperty(property: string): string {
  const p = property.trim()
  return p.startsWith(PROPERTY_PREFIX) ? p.slice(PROPERTY_PREFIX.length) : p
}

/**
 * The criteria's value as text. The API types it as a string; a YAML workspace reads `100` or `true` as
 * a number or boolean, which users expect to work, so those are accepted and converted.
 */
export function criteriaValueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'boolean') return String(value)
  return undefined
}

/** Joins a node path and a field into the `children[1].key.sourceId` form problems are reported in. */
export function problemPath(node: string, field?: string): string {
  const p = [node, field].filter((s) => s !== undefined && s !== '').join('.')
  return p === '' ? 'criteria' : p
}

export function childPath(path: string, index: number): string {
  return `${path === '' ? '' : path + '.'}children[${index}]`
}

/**
 * Every problem with a role criteria tree, as `path: message`; empty when it is valid. Takes `unknown`
 * so a workspace file can be checked before it is trusted to have the shape.
 */
export function validateRoleCriteria(criteria: unknown): string[] {
  const problems: string[] = []
  checkNode(criteria, '', 1, undefined, problems)
  return problems
}

function checkNode(
  node: unknown,
  path: string,
  level: number,
  parentOp: CriteriaGroupOperation | undefined,
  problems: string[],
): void {
  const say = (field: string | undefined, message: string): void => {
    problems.push(`${problemPath(path, field)}: ${message}`)
  }
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    say(undefined, 'must be an object with an "operation"')
    return
  }
  const n = node as Record<string, unknown>
  const op = n['operation']
  if (op === undefined || op === null) {
    say('operation', 'required')
  } else if (isGroupOperation(op)) {
    checkGroup(n, op, path, level, parentOp, problems, say)
  } else if (isRoleLeafOperation(op)) {
    checkLeaf(n, op, say)
  } else {
    say('operation', `unknown operation ${JSON.stringify(op)}`)
  }
}

function checkGroup(
  n: Record<string, unknown>,
  op: CriteriaGroupOperation,
  path: string,
  level: number,
  parentOp: CriteriaGroupOperation | undefined,
  problems: string[],
  say: (field: string | undefined, message: string) => void,
): void {
  if (parentOp === op) say(undefined, 'AND nodes can only be children of OR nodes and vice-versa')
  // The reference rejects these rather than ignoring them; an ignored condition would be a silent surprise.
  if (n['key'] !== undefined && n['key'] !== null) say('key', `not allowed on ${op} nodes`)
  if (n['stringValue'] !== undefined && n['stringValue'] !== null) {
    say('stringValue', `not allowed on ${op} nodes`)
  }
  const children = n['children']
  if (!Array.isArray(children) || children.length === 0) {
    say('children', `required for ${op} (at least one child)`)
    return
  }
  if (level >= MAX_CRITERIA_LEVELS) {
    say('children', `too deep: at most ${MAX_CRITERIA_LEVELS} levels of criteria, including leaf nodes`)
    return
  }
  children.forEach((child, i) => checkNode(child, childPath(path, i), level + 1, op, problems))
}

function checkLeaf(
  n: Record<string, unknown>,
  op: RoleCriteriaLeafOperation,
  say: (field: string | undefined, message: string) => void,
): void {
  if (n['children'] !== undefined && n['children'] !== null) say('children', `not allowed on ${op} (a leaf)`)
  if (criteriaValueText(n['stringValue']) === undefined) {
    say('stringValue', n['stringValue'] == null ? `required for ${op}` : 'must be a non-empty string')
  }
  const key = n['key']
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    say('key', `required for ${op}`)
    return
  }
  const k = key as Record<string, unknown>
  const type = k['type']
  if (!(ROLE_CRITERIA_KEY_TYPES as readonly unknown[]).includes(type)) {
    say(
      'key.type',
      `must be one of ${ROLE_CRITERIA_KEY_TYPES.join(', ')} (got ${JSON.stringify(type ?? null)})`,
    )
  }
  const property = k['property']
  if (typeof property !== 'string' || property.trim() === '') {
    say('key.property', 'required')
  } else if (normaliseProperty(property) === '') {
    say('key.property', `${JSON.stringify(property)} names no attribute`)
  }
  if ((type === 'ACCOUNT' || type === 'ENTITLEMENT') && !isNonEmptyString(k['sourceId'])) {
    say('key.sourceId', `required for ${type} keys`)
  }
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== ''
}
