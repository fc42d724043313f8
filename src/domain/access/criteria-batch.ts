import { compareOrdered, fold, readAttribute, textValues } from './criteria-values.js'
import type { CriteriaAccount, CriteriaEntitlement, CriteriaSubject } from './compile-role-criteria.js'
import { CriteriaError } from './criteria-error.js'
import {
  criteriaValueText,
  isGroupOperation,
  normaliseProperty,
  validateRoleCriteria,
  type RoleCriteria,
  type RoleCriteriaKey,
  type RoleCriteriaLeafOperation,
  type RoleCriteriaNode,
} from './role-criteria.js'

export interface CriteriaBatchOptions {
  /** The entitlements an account holds (default: its `entitlements`). */
  readonly entitlementsOf?: (account: CriteriaAccount) => readonly CriteriaEntitlement[]
}

/** Which of the batch's criteria an identity meets, by index in the list compiled. */
export type CriteriaBatch = (subject: CriteriaSubject) => number[]

/** A key's values on one identity (or one account): as read, and case-folded for the text operations. */
export interface Values {
  readonly raw: readonly string[]
  readonly folded: readonly string[]
}

interface Key {
  readonly type: RoleCriteriaKey['type']
  readonly property: string
  readonly sourceId: string | undefined
}

interface Leaf {
  readonly key: number
  readonly test: (values: Values) => boolean
}

type AnyNode = RoleCriteriaNode<AnyNode>
/** A compiled tree: a leaf by index, or AND / OR over children. One shape, so evaluation stays monomorphic. */
interface Verdict {
  readonly op: 'LEAF' | 'AND' | 'OR'
  readonly leaf: number
  readonly children: readonly Verdict[]
}

/**
 * Many roles' criteria compiled together, for planning every identity against every role. Each key
 * (identity attribute, account attribute on a source, entitlement attribute on a source) is read and
 * case-folded once per identity, and each distinct leaf (key, operation, value) is tested once per
 * identity however many roles use it: with 200 roles drawing on a few dozen distinct tests, that is
 * most of the work saved. The verdicts are exactly compileRoleCriteria's (a test pins it); explanations
 * stay there. Throws a CriteriaError naming the criteria's index when one is invalid.
 */
export function compileCriteriaBatch(
  list: readonly RoleCriteria[],
  options: CriteriaBatchOptions = {},
): CriteriaBatch {
  const entitlementsOf = options.entitlementsOf ?? ((a: CriteriaAccount) => a.entitlements ?? [])
  const keys: Key[] = []
  const keyIndex = new Map<string, number>()
  const leaves: Leaf[] = []
  const leafIndex = new Map<string, number>()

  const compile = (node: AnyNode): Verdict => {
    const op = node.operation
    if (isGroupOperation(op)) {
      return { op, leaf: -1, children: (node.children ?? []).map(compile) }
    }
    // Validation guarantees a leaf has a key and a value.
    const k = node.key as RoleCriteriaKey
    const key: Key = {
      type: k.type,
      property: normaliseProperty(k.property),
      sourceId: k.sourceId ?? undefined,
    }
    const keyId = `${key.type}\u0000${key.property}\u0000${key.sourceId ?? ''}`
    let ki = keyIndex.get(keyId)
    if (ki === undefined) {
      ki = keys.push(key) - 1
      keyIndex.set(keyId, ki)
    }
    const value = criteriaValueText(node.stringValue) as string
    const leafId = `${ki}\u0000${op}\u0000${value}`
    let li = leafIndex.get(leafId)
    if (li === undefined) {
      li = leaves.push({ key: ki, test: valuesTest(op, value) }) - 1
      leafIndex.set(leafId, li)
    }
    return { op: 'LEAF', leaf: li, children: [] }
  }
  const verdicts = list.map((criteria, i) => {
    const problems = validateRoleCriteria(criteria)
    if (problems.length > 0) throw new CriteriaError(`role criteria #${i + 1}`, problems)
    return compile(criteria as AnyNode)
  })

  // Per-identity caches, reused: evaluation is synchronous, one identity at a time.
  const keyValues: (Values | Values[] | undefined)[] = new Array<undefined>(keys.length)
  const leafState = new Int8Array(leaves.length)
  let subject: CriteriaSubject = { identity: {}, accounts: [] }

  const read = (ki: number): Values | Values[] => {
    let v = keyValues[ki]
    if (v !== undefined) return v
    const key = keys[ki] as Key
    if (key.type === 'IDENTITY') v = criteriaValues(textValues(readAttribute(subject.identity, key.property)))
    else if (key.type === 'ACCOUNT') {
      v = subject.accounts
        .filter((a) => a.sourceId === key.sourceId)
        .map((a) => criteriaValues(textValues(readAttribute(a.attributes, key.property))))
    } else {
      const attribute = fold(key.property)
      const raw: string[] = []
      for (const a of subject.accounts) {
        if (a.sourceId !== key.sourceId) continue
        for (const e of entitlementsOf(a)) if (fold(e.attribute) === attribute) raw.push(e.value)
      }
      v = criteriaValues(raw)
    }
    keyValues[ki] = v
    return v
  }
  const holds = (v: Verdict): boolean => {
    if (v.op === 'LEAF') return leaf(v.leaf)
    const and = v.op === 'AND'
    for (const c of v.children) if (holds(c) !== and) return !and
    return and
  }
  const leaf = (li: number): boolean => {
    const state = leafState[li]
    if (state !== 0) return state === 1
    const { key, test } = leaves[li] as Leaf
    const v = read(key)
    // ACCOUNT keys hold when any one account on the source meets the leaf on its own.
    const matched = Array.isArray(v) ? v.some(test) : test(v)
    leafState[li] = matched ? 1 : 2
    return matched
  }

  return (s) => {
    subject = s
    keyValues.fill(undefined)
    leafState.fill(0)
    const matched: number[] = []
    for (let i = 0; i < verdicts.length; i++) if (holds(verdicts[i] as Verdict)) matched.push(i)
    return matched
  }
}

export function criteriaValues(raw: readonly string[]): Values {
  return { raw, folded: raw.map(fold) }
}

/** The same tests as compile-role-criteria's leafTest, on values folded once instead of per leaf. */
export function valuesTest(op: RoleCriteriaLeafOperation, expected: string): (v: Values) => boolean {
  const e = fold(expected)
  switch (op) {
    case 'EQUALS':
      return (v) => v.folded.includes(e)
    case 'NOT_EQUALS':
      return (v) => !v.folded.includes(e)
    case 'CONTAINS':
      return (v) => v.folded.some((x) => x.includes(e))
    case 'DOES_NOT_CONTAIN':
      return (v) => !v.folded.some((x) => x.includes(e))
    case 'STARTS_WITH':
      return (v) => v.folded.some((x) => x.startsWith(e))
    case 'ENDS_WITH':
      return (v) => v.folded.some((x) => x.endsWith(e))
    case 'GREATER_THAN':
      return (v) => v.raw.some((x) => compareOrdered(x, expected) > 0)
    case 'LESS_THAN':
      return (v) => v.raw.some((x) => compareOrdered(x, expected) < 0)
    case 'GREATER_THAN_EQUALS':
      return (v) => v.raw.some((x) => compareOrdered(x, expected) >= 0)
    case 'LESS_THAN_EQUALS':
      return (v) => v.raw.some((x) => compareOrdered(x, expected) <= 0)
  }
}
