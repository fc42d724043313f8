import type { CheckedFilter, CheckedValue } from './check-filters.js'

/** A field's value on one row: text, a number, a boolean, a date as ISO-8601 text, a list of those, or none. */
export type RowValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[]

/**
 * Whether a row held in memory (a configuration object, which has no table to query) matches a checked
 * filter, with the meaning store/filter-sql.ts gives it in SQL: a field without a value matches no
 * comparison (`ne` and `in` included), only `isnull`; `not x` is every row `x` does not match; on text the
 * empty string counts as no value for `pr` and `isnull`; text compares ignoring case where the field says
 * so. A list-valued field (a source's features) matches when any of its items does.
 */
export function matchesFilter<F extends string>(
  filter: CheckedFilter<F>,
  valueOf: (field: F) => RowValue,
): boolean {
  switch (filter.kind) {
    case 'and':
      return filter.operands.every((f) => matchesFilter(f, valueOf))
    case 'or':
      return filter.operands.some((f) => matchesFilter(f, valueOf))
    case 'not':
      return !matchesFilter(filter.operand, valueOf)
    case 'presence': {
      const v = valueOf(filter.field)
      const present = v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)
      return filter.operator === 'pr' ? present : !present
    }
    case 'in':
      return items(valueOf(filter.field)).some((v) =>
        filter.values.some((w) => compare(v, w, filter.caseInsensitive) === 0),
      )
    case 'compare':
      return items(valueOf(filter.field)).some((v) => {
        const a = fold(v, filter.caseInsensitive)
        const b = fold(filter.value, filter.caseInsensitive)
        switch (filter.operator) {
          case 'eq':
            return compare(v, filter.value, filter.caseInsensitive) === 0
          case 'ne':
            return compare(v, filter.value, filter.caseInsensitive) !== 0
          case 'gt':
            return compare(v, filter.value, filter.caseInsensitive) > 0
          case 'lt':
            return compare(v, filter.value, filter.caseInsensitive) < 0
          case 'ge':
            return compare(v, filter.value, filter.caseInsensitive) >= 0
          case 'le':
            return compare(v, filter.value, filter.caseInsensitive) <= 0
          case 'sw':
            return String(a).startsWith(String(b))
          case 'co':
            return String(a).includes(String(b))
        }
        return false
      })
  }
}

function items(v: RowValue): (string | number | boolean)[] {
  if (v === null || v === undefined) return []
  return Array.isArray(v) ? [...(v as (string | number | boolean)[])] : [v as string | number | boolean]
}

function fold(v: CheckedValue, caseInsensitive: boolean): CheckedValue {
  return caseInsensitive && typeof v === 'string' ? v.toLowerCase() : v
}

/** Orders two values of one field; text by code point (as the store's C collation), dates as ISO text. */
function compare(a: CheckedValue, b: CheckedValue, caseInsensitive: boolean): number {
  const x = fold(a, caseInsensitive)
  const y = fold(b, caseInsensitive)
  if (typeof x === 'string' && typeof y === 'string' && isIso(x) && isIso(y)) {
    return Date.parse(x) - Date.parse(y)
  }
  if (x === y) return 0
  return x < y ? -1 : 1
}

function isIso(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(s)
}
