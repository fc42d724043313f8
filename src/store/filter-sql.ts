import type { CheckedFilter, FilterFieldType } from '../domain/query/check-filters.js'
import type { ComparisonOperator } from '../domain/query/filter-expression.js'

/** A WHERE fragment and its parameters, numbered from the index it was asked to start at. */
export interface FilterSql {
  readonly sql: string
  readonly params: unknown[]
}

const CAST: Record<FilterFieldType, string> = {
  string: 'text',
  number: 'numeric',
  boolean: 'boolean',
  date: 'timestamptz',
}

const COMPARE: Record<Exclude<ComparisonOperator, 'sw' | 'co'>, string> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  lt: '<',
  ge: '>=',
  le: '<=',
}

/**
 * Translates a checked filter to a parameterised WHERE fragment. Column SQL comes only from `columns`
 * (the listing's own mapping of its fields); every value is a `$n` parameter, the first `$firstParam`, so
 * the fragment joins a listing's other conditions.
 *
 * What it means, where SQL's NULL would decide otherwise: a field without a value matches no comparison
 * (`ne` and `in` included), only `isnull`; `not x` is every row `x` does not match (`IS NOT TRUE`), rows
 * without a value included. On text, the empty string counts as no value: `pr` is neither NULL nor '',
 * `isnull` either.
 */
export function filterSql<F extends string>(
  filter: CheckedFilter<F>,
  columns: Readonly<Record<F, string>>,
  firstParam = 1,
): FilterSql {
  const params: unknown[] = []
  const param = (value: unknown, cast: string): string => {
    params.push(value)
    return `$${firstParam + params.length - 1}::${cast}`
  }

  const column = (field: F): string => {
    const sql = columns[field]
    // The checked filter and the mapping share the listing's field type; a gap is a bug, not input.
    if (sql === undefined) throw new Error(`no column for filter field "${field}"`)
    return sql
  }

  const translate = (f: CheckedFilter<F>): string => {
    switch (f.kind) {
      case 'and':
      case 'or':
        return `(${f.operands.map(translate).join(f.kind === 'and' ? ' AND ' : ' OR ')})`
      case 'not':
        return `((${translate(f.operand)}) IS NOT TRUE)`
      case 'presence': {
        const sql = column(f.field)
        const text = f.type === 'string'
        if (f.operator === 'pr') {
          return text ? `(${sql} IS NOT NULL AND ${sql} <> '')` : `${sql} IS NOT NULL`
        }
        return text ? `(${sql} IS NULL OR ${sql} = '')` : `${sql} IS NULL`
      }
      case 'in': {
        const list = param(f.values, `${CAST[f.type]}[]`)
        if (!f.caseInsensitive) return `${column(f.field)} = ANY(${list})`
        return `lower(${column(f.field)}) = ANY(SELECT lower(v) FROM unnest(${list}) AS v)`
      }
      case 'compare': {
        const fold = (sql: string): string => (f.caseInsensitive ? `lower(${sql})` : sql)
        const compared = fold(column(f.field))
        if (f.operator === 'sw' || f.operator === 'co') {
          const pattern = fold(param(escapeLike(String(f.value)), 'text'))
          return f.operator === 'sw'
            ? `${compared} LIKE (${pattern} || '%')`
            : `${compared} LIKE ('%' || ${pattern} || '%')`
        }
        return `${compared} ${COMPARE[f.operator]} ${fold(param(f.value, CAST[f.type]))}`
      }
    }
  }

  return { sql: translate(filter), params }
}

/** A value matched literally by LIKE: its `%`, `_` and the escape `\` (LIKE's default) escaped. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}
