import { readFilters, type FilterFields } from '../../domain/query/check-filters.js'
import { matchesFilter, type RowValue } from '../../domain/query/match-filter.js'
import { pageOf, type Query, type QueryResult } from './query.js'

/** A listing of objects held in memory: the fields its filters and sorters may name, and their values. */
export interface ObjectListing<T, F extends string> {
  readonly filterFields: FilterFields<F>
  readonly sortFields: readonly F[]
  readonly valueOf: (row: T, field: F) => RowValue
}

/**
 * A page of objects held in memory (configuration objects, which have no table), filtered, sorted and
 * paged as the store's listings are: the same filter grammar and checks (InputError naming a field or
 * operator the listing does not support), sorters with `-` for descending, and the total when counted.
 * Without sorters the objects keep the order they were given in.
 */
export function queryObjects<T, F extends string>(
  objects: readonly T[],
  query: Query<string, F>,
  listing: ObjectListing<T, F>,
): QueryResult<T> {
  const page = pageOf(query, listing.sortFields)
  const filter = query.filters !== undefined ? readFilters(query.filters, listing.filterFields) : undefined
  let rows = filter
    ? objects.filter((o) => matchesFilter(filter, (f) => listing.valueOf(o, f)))
    : [...objects]
  for (const key of [...(page.sort ?? [])].reverse()) {
    // Stable sorts from the last key to the first: the first key decides, the others break its ties.
    rows = rows
      .map((row, index) => ({ row, index }))
      .sort((a, b) => {
        const c = compareValues(listing.valueOf(a.row, key.field), listing.valueOf(b.row, key.field))
        return (key.descending ? -c : c) || a.index - b.index
      })
      .map((r) => r.row)
  }
  const total = rows.length
  const offset = page.offset ?? 0
  const paged = rows.slice(offset, page.limit !== undefined ? offset + page.limit : undefined)
  return query.count ? { rows: paged, total } : { rows: paged }
}

/** Values without one last, text ignoring case (as names are compared), then numbers and booleans. */
function compareValues(a: RowValue, b: RowValue): number {
  const none = (v: RowValue): boolean => v === null || v === undefined
  if (none(a) || none(b)) return none(a) === none(b) ? 0 : none(a) ? 1 : -1
  const x = Array.isArray(a) ? a.join(',') : a
  const y = Array.isArray(b) ? b.join(',') : b
  if (typeof x === 'string' && typeof y === 'string') return x.localeCompare(y, 'en', { sensitivity: 'base' })
  if (x === y) return 0
  return (x as number) < (y as number) ? -1 : 1
}
