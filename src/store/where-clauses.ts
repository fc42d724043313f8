import type { CheckedFilter } from '../domain/query/check-filters.js'
import { filterSql } from './filter-sql.js'

/**
 * The WHERE conditions of a listing and their parameters, numbered as they are added: `add('id = ?', x)`
 * puts `x` in the next parameter (every `?` of the condition names it), a condition without a value
 * is added as it is, `filter` adds a checked v3
 * `filters` expression over the listing's columns.
 */
export class WhereClauses {
  readonly conditions: string[] = []
  readonly params: unknown[] = []

  add(sql: string, ...value: [unknown] | []): this {
    if (value.length === 0) {
      this.conditions.push(sql)
      return this
    }
    this.params.push(value[0])
    this.conditions.push(sql.replaceAll('?', `$${this.params.length}`))
    return this
  }

  filter<F extends string>(
    expression: CheckedFilter<F> | undefined,
    columns: Readonly<Record<F, string>>,
  ): this {
    if (expression === undefined) return this
    const compiled = filterSql(expression, columns, this.params.length + 1)
    this.params.push(...compiled.params)
    this.conditions.push(compiled.sql)
    return this
  }

  /** `WHERE a AND b`, or '' without conditions. */
  sql(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : ''
  }
}
