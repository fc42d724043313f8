import { nearestName } from '../config/nearest-name.js'
import { InputError } from '../errors.js'
import {
  ISO_DATE,
  operatorOf,
  type ComparisonOperator,
  type FilterExpression,
  type FilterOperator,
  type FilterValue,
  type PresenceOperator,
} from './filter-expression.js'
import { parseFilters } from './parse-filters.js'

export type FilterFieldType = 'string' | 'number' | 'boolean' | 'date'

/** One field a listing can be filtered by: its type and the operators it allows. */
export interface FilterField {
  readonly type: FilterFieldType
  readonly operators: readonly FilterOperator[]
  /** Text compares ignoring case (eq, ne, in, sw, co and the order operators), as the reference's names do. */
  readonly caseInsensitive?: boolean
}

/** The fields a listing can be filtered by: the whitelist. The store maps each to its column. */
export type FilterFields<F extends string> = Readonly<Record<F, FilterField>>

/** A value of the field's type: a date is an ISO-8601 string in UTC. */
export type CheckedValue = string | number | boolean

/**
 * A filter whose every field is one of the listing's, with an operator it allows and values of its type.
 * `eq null` and `ne null` have become `isnull` and `pr`.
 */
export type CheckedFilter<F extends string> =
  | {
      readonly kind: 'compare'
      readonly field: F
      readonly type: FilterFieldType
      readonly caseInsensitive: boolean
      readonly operator: ComparisonOperator
      readonly value: CheckedValue
    }
  | {
      readonly kind: 'in'
      readonly field: F
      readonly type: FilterFieldType
      readonly caseInsensitive: boolean
      readonly values: readonly CheckedValue[]
    }
  | {
      readonly kind: 'presence'
      readonly field: F
      readonly type: FilterFieldType
      readonly operator: PresenceOperator
    }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly CheckedFilter<F>[] }
  | { readonly kind: 'not'; readonly operand: CheckedFilter<F> }

/** The fields a filter reads. */
export function filterFields<F extends string>(filter: CheckedFilter<F>): Set<F> {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return new Set(filter.operands.flatMap((o) => [...filterFields(o)]))
    case 'not':
      return filterFields(filter.operand)
    default:
      return new Set([filter.field])
  }
}

/** `field eq "value"`, exactly (case matters): the filter an engine function looks one row up by. */
export function textEquals<F extends string>(field: F, value: string): CheckedFilter<F> {
  return { kind: 'compare', field, type: 'string', caseInsensitive: false, operator: 'eq', value }
}

/** Parses and checks a `filters` string against a listing's fields. */
export function readFilters<F extends string>(input: string, fields: FilterFields<F>): CheckedFilter<F> {
  return checkFilters(parseFilters(input), fields)
}

/**
 * Checks a parsed filter against a listing's fields: an unknown field, an operator the field does not
 * allow, or a value of the wrong type is an InputError naming the field and what it supports (the API's 400).
 */
export function checkFilters<F extends string>(
  expression: FilterExpression,
  fields: FilterFields<F>,
): CheckedFilter<F> {
  switch (expression.kind) {
    case 'and':
    case 'or':
      return { kind: expression.kind, operands: expression.operands.map((e) => checkFilters(e, fields)) }
    case 'not':
      return { kind: 'not', operand: checkFilters(expression.operand, fields) }
    default:
      break
  }
  const name = expression.field
  if (!Object.hasOwn(fields, name)) {
    const known = Object.keys(fields)
    const near = nearestName(name, known)
    throw new InputError(
      `filters: cannot filter by "${name}"${near ? ` (did you mean "${near}"?)` : ''}; filter by ${known.join(', ')}`,
    )
  }
  const field = name as F
  const { type } = fields[field]
  // Case is a property of text only.
  const caseInsensitive = type === 'string' && fields[field].caseInsensitive === true
  const operator = operatorOf(expression)
  const supported = supportedOperators(fields[field])
  if (!supported.includes(operator)) {
    throw new InputError(
      `filters: "${name}" does not support "${operator}"; it supports ${supported.join(', ')}`,
    )
  }
  switch (expression.kind) {
    case 'presence':
      return { kind: 'presence', field, type, operator: expression.operator }
    case 'in':
      return {
        kind: 'in',
        field,
        type,
        caseInsensitive,
        values: expression.values.map((v) => {
          if (v === null) throw new InputError(`filters: "${name} in" cannot list null; use "${name} isnull"`)
          return checkedValue(name, type, v)
        }),
      }
    case 'compare': {
      const { value } = expression
      if (value === null) {
        if (operator === 'eq') return { kind: 'presence', field, type, operator: 'isnull' }
        if (operator === 'ne') return { kind: 'presence', field, type, operator: 'pr' }
        throw new InputError(`filters: "${name} ${operator}" cannot compare with null; use isnull or pr`)
      }
      return {
        kind: 'compare',
        field,
        type,
        caseInsensitive,
        operator: expression.operator,
        value: checkedValue(name, type, value),
      }
    }
  }
}

/** A field's operators, less `sw` and `co` on anything but text (they have no meaning there). */
function supportedOperators(field: FilterField): readonly FilterOperator[] {
  return field.type === 'string' ? field.operators : field.operators.filter((o) => o !== 'sw' && o !== 'co')
}

function checkedValue(name: string, type: FilterFieldType, value: Exclude<FilterValue, null>): CheckedValue {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value)
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value
      throw new InputError(`filters: "${name}" takes a string in double quotes, not ${shown}`)
    case 'number':
      if (typeof value === 'number') return value
      throw new InputError(`filters: "${name}" takes a number, not ${shown}`)
    case 'boolean':
      if (typeof value === 'boolean') return value
      throw new InputError(`filters: "${name}" takes true or false, not ${shown}`)
    case 'date': {
      const date = typeof value === 'string' ? isoDate(value) : undefined
      if (date !== undefined) return date
      throw new InputError(
        `filters: "${name}" takes a date such as 2024-01-31 or 2024-01-31T08:00:00Z, not ${shown}`,
      )
    }
  }
}

/** An ISO-8601 date or date-time as a UTC instant (without an offset, UTC); undefined if it is none. */
function isoDate(text: string): string | undefined {
  if (!ISO_DATE.test(text)) return undefined
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
  const calendar = new Date(Date.UTC(year, month - 1, day))
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined
  const zoned = text.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text
  const time = Date.parse(zoned.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}
