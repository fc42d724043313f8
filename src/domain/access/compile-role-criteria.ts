import { compileCriteriaBatch, criteriaValues, valuesTest } from './criteria-batch.js'
import { fold, readAttribute, textValues } from './criteria-values.js'
import { CriteriaError } from './criteria-error.js'
import {
  criteriaValueText,
  isGroupOperation,
  normaliseProperty,
  validateRoleCriteria,
  type CriteriaGroupOperation,
  type RoleCriteria,
  type RoleCriteriaKeyType,
  type RoleCriteriaLeafOperation,
  type RoleCriteriaNode,
} from './role-criteria.js'

export interface CriteriaEntitlement {
  readonly attribute: string
  readonly value: string
}

export interface CriteriaAccount {
  readonly sourceId: string
  readonly sourceName?: string
  /** Only shown in explanations, to tell two accounts on one source apart. */
  readonly nativeIdentity?: string
  readonly attributes: Readonly<Record<string, unknown>>
  /** The entitlements the account holds; ENTITLEMENT keys read only these, never `attributes`. */
  readonly entitlements?: readonly CriteriaEntitlement[]
}

/** What role criteria are evaluated against: one identity and its correlated accounts. */
export interface CriteriaSubject {
  readonly identity: Readonly<Record<string, unknown>>
  readonly accounts: readonly CriteriaAccount[]
}

export interface ExplainedKey {
  readonly type: RoleCriteriaKeyType
  /** Normalised: `attribute.department` is `department` here. */
  readonly property: string
  readonly sourceId?: string
  /** From the subject's accounts on that source, when they carry it: for printing `account[AD]`. */
  readonly sourceName?: string
}

/** One account's part in an ACCOUNT leaf. */
export interface ExplainedAccount {
  readonly nativeIdentity?: string
  readonly actual: readonly string[]
  readonly matched: boolean
}

export interface ExplainedLeaf {
  readonly kind: 'leaf'
  readonly operation: RoleCriteriaLeafOperation
  readonly key: ExplainedKey
  readonly stringValue: string
  readonly matched: boolean
  /** Every value seen (for ACCOUNT keys, on all accounts of the source); empty when missing. */
  readonly actual: readonly string[]
  /** ACCOUNT keys only: one entry per account on the source (none: the identity has no account there). */
  readonly accounts?: readonly ExplainedAccount[]
}

export interface ExplainedGroup {
  readonly kind: 'group'
  readonly operation: CriteriaGroupOperation
  readonly matched: boolean
  readonly children: readonly ExplainedNode[]
}

/** The criteria tree again, with what was seen and decided at every node. */
export type ExplainedNode = ExplainedLeaf | ExplainedGroup

export interface CriteriaResult {
  readonly matched: boolean
  readonly explanation: ExplainedNode
}

export interface CompiledCriteria {
  evaluate(subject: CriteriaSubject): CriteriaResult
  /** The same verdict without the explanation: what planning 100,000 identities against 200 roles uses. */
  matches(subject: CriteriaSubject): boolean
}

type Evaluator = (subject: CriteriaSubject) => ExplainedNode
type AnyNode = RoleCriteriaNode<AnyNode>

/**
 * Validates and compiles role membership criteria once, for evaluation against many identities.
 * Throws a CriteriaError listing every problem when the criteria are invalid.
 *
 * Semantics (the reference documents the operations, not these details; each choice is the one its
 * users would expect and is pinned by a test):
 * - Text comparisons ignore case (see `criteria-values.ts`). GREATER_THAN…LESS_THAN_EQUALS compare as
 *   numbers when both sides are numbers, else as instants when both are ISO dates, else as text.
 * - A multi-valued attribute matches a positive operation when ANY value does. The negative operations
 *   are exact complements: NOT_EQUALS holds when NO value EQUALS, DOES_NOT_CONTAIN when NO value CONTAINS.
 * - A missing, null or empty attribute has no values: positive operations are false, negative ones true.
 * - ACCOUNT keys hold when ANY of the identity's accounts on `sourceId` matches the leaf on its own; with
 *   no account on that source even a negative operation is false (there is no account to describe).
 * - ENTITLEMENT keys look at the entitlements whose `attribute` is the property (ignoring case) on all the
 *   identity's accounts on `sourceId`: EQUALS "X" means the identity has X; NOT_EQUALS "X" means it does
 *   not, which also holds when it has no account there.
 * - AND / OR evaluate every child (no short-circuit), so the explanation is complete.
 */
export function compileRoleCriteria(criteria: RoleCriteria): CompiledCriteria {
  const problems = validateRoleCriteria(criteria)
  if (problems.length > 0) throw new CriteriaError('role criteria', problems)
  const evaluate = compileNode(criteria)
  const batch = compileCriteriaBatch([criteria])
  const matches = (subject: CriteriaSubject): boolean => batch(subject).length === 1
  return {
    evaluate(subject) {
      const explanation = evaluate(subject)
      return { matched: explanation.matched, explanation }
    },
    matches,
  }
}

function compileNode(node: AnyNode): Evaluator {
  const op = node.operation
  if (isGroupOperation(op)) {
    const children = (node.children ?? []).map(compileNode)
    return (subject) => {
      const explained = children.map((child) => child(subject))
      const matched = op === 'AND' ? explained.every((c) => c.matched) : explained.some((c) => c.matched)
      return { kind: 'group', operation: op, matched, children: explained }
    }
  }
  // Validation guarantees a leaf has a key and a value.
  const key = node.key as NonNullable<AnyNode['key']>
  const stringValue = criteriaValueText(node.stringValue) as string
  const leafTest = valuesTest(op, stringValue)
  const test = (actual: readonly string[]): boolean => leafTest(criteriaValues(actual))
  const property = normaliseProperty(key.property)
  const sourceId = key.sourceId ?? undefined
  const base = { kind: 'leaf', operation: op, stringValue } as const

  if (key.type === 'IDENTITY') {
    return (subject) => {
      const actual = textValues(readAttribute(subject.identity, property))
      return { ...base, key: { type: key.type, property }, matched: test(actual), actual }
    }
  }
  if (key.type === 'ACCOUNT') {
    return (subject) => {
      const onSource = subject.accounts.filter((a) => a.sourceId === sourceId)
      const accounts = onSource.map((a): ExplainedAccount => {
        const actual = textValues(readAttribute(a.attributes, property))
        return { ...nativeIdentityOf(a), actual, matched: test(actual) }
      })
      const explainedKey = { type: key.type, property, sourceId, ...sourceNameOf(onSource) }
      const actual = accounts.flatMap((a) => a.actual)
      return { ...base, key: explainedKey, matched: accounts.some((a) => a.matched), actual, accounts }
    }
  }
  const attribute = fold(property)
  return (subject) => {
    const onSource = subject.accounts.filter((a) => a.sourceId === sourceId)
    const actual = onSource.flatMap((a) =>
      (a.entitlements ?? []).filter((e) => fold(e.attribute) === attribute).map((e) => e.value),
    )
    const explainedKey = { type: key.type, property, sourceId, ...sourceNameOf(onSource) }
    return { ...base, key: explainedKey, matched: test(actual), actual }
  }
}

function nativeIdentityOf(a: CriteriaAccount): { nativeIdentity?: string } {
  return a.nativeIdentity === undefined ? {} : { nativeIdentity: a.nativeIdentity }
}

function sourceNameOf(accounts: readonly CriteriaAccount[]): { sourceName?: string } {
  const name = accounts.find((a) => a.sourceName !== undefined)?.sourceName
  return name === undefined ? {} : { sourceName: name }
}
