import { InputError } from '../../domain/errors.js'
import type { Page, SortKey } from '../../store/paging.js'

/**
 * What a listing is asked for, as the v3 API's collection endpoints take it: a page (`limit`, `offset`),
 * whether to count every match (`count`, the API's X-Total-Count), filters, and sorters — field names,
 * descending with a leading `-` (`["-created", "name"]`). Without a page, the whole listing.
 */
export interface Query<Filters, Field extends string> {
  readonly limit?: number
  readonly offset?: number
  readonly count?: boolean
  readonly filters?: Filters
  readonly sorters?: readonly (Field | `-${Field}`)[] | readonly string[]
}

/** A listing's rows, and how many rows its filters match when `count` was asked for. */
export interface QueryResult<T> {
  readonly rows: T[]
  readonly total?: number
}

/** The store's page for a query, its limit, offset and sorters checked against the listing's fields. */
export function pageOf<F extends string>(query: Query<unknown, F>, fields: readonly F[]): Page<F> {
  const whole = (name: string, value: number | undefined): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new InputError(`${name} must be a whole number of at least 0, not ${value}`)
    }
  }
  whole('limit', query.limit)
  whole('offset', query.offset)
  const sort = (query.sorters ?? []).map((s): SortKey<F> => {
    const descending = s.startsWith('-')
    const field = (descending ? s.slice(1) : s) as F
    if (!fields.includes(field)) {
      throw new InputError(`cannot sort by "${s}": sort by ${fields.join(', ')} (a leading - for descending)`)
    }
    return { field, descending }
  })
  return {
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.offset !== undefined ? { offset: query.offset } : {}),
    ...(sort.length > 0 ? { sort } : {}),
  }
}

/** `{ rows, total }`: counts the matches only when the query asked for it. */
export async function resultOf<T>(
  query: Query<unknown, string>,
  rows: T[],
  count: () => Promise<number>,
): Promise<QueryResult<T>> {
  return query.count ? { rows, total: await count() } : { rows }
}
