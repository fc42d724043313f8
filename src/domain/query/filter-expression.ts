/**
 * The v3 collection `filters` grammar as a tree: what `parseFilters` returns and `checkFilters` checks.
 * `and` and `or` hold every operand of a chain (`a and b and c` is one node of three), so long chains
 * add no depth.
 */
export type FilterExpression =
  | FilterComparison
  | FilterIn
  | FilterPresence
  | { readonly kind: 'and' | 'or'; readonly operands: readonly FilterExpression[] }
  | { readonly kind: 'not'; readonly operand: FilterExpression }

/** A literal: a double-quoted string, a number, true, false, null, or an unquoted ISO-8601 date (a string). */
export type FilterValue = string | number | boolean | null

/** `field op value`. */
export interface FilterComparison {
  readonly kind: 'compare'
  readonly field: string
  readonly operator: ComparisonOperator
  readonly value: FilterValue
}

/** `field in (value, …)`. */
export interface FilterIn {
  readonly kind: 'in'
  readonly field: string
  readonly values: readonly FilterValue[]
}

/** `field pr` (has a value) or `field isnull` (has none). */
export interface FilterPresence {
  readonly kind: 'presence'
  readonly field: string
  readonly operator: PresenceOperator
}

export const COMPARISON_OPERATORS = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sw', 'co'] as const
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number]

export const PRESENCE_OPERATORS = ['pr', 'isnull'] as const
export type PresenceOperator = (typeof PRESENCE_OPERATORS)[number]

/** Every operator a field can allow, in the order error messages list them. */
export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'in',
  'sw',
  'co',
  'gt',
  'lt',
  'ge',
  'le',
  'pr',
  'isnull',
] as const
export type FilterOperator = (typeof FILTER_OPERATORS)[number]

/** The operator of a leaf, as a field's allowed operators name it. */
export function operatorOf(leaf: FilterComparison | FilterIn | FilterPresence): FilterOperator {
  return leaf.kind === 'in' ? 'in' : leaf.operator
}

/** An ISO-8601 date or date-time, as a date literal is written unquoted: `2024-01-31`, `2024-01-31T08:00:00Z`. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/
