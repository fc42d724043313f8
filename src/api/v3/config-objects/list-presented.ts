import type { FastifyReply } from 'fastify'
import type { FilterFields } from '../../../domain/query/check-filters.js'
import type { RowValue } from '../../../domain/query/match-filter.js'
import { queryObjects } from '../../../engine/queries/query-objects.js'
import { engineQuery, sendCollection, type CollectionQuery } from '../../http/collection-query.js'

/**
 * A v3 collection of configuration objects, already presented: filtered and sorted by the fields the client
 * sees (`owner.id`, `name`), paged, with X-Total-Count when counted.
 */
export function listPresented<F extends string>(
  reply: FastifyReply,
  presented: readonly Record<string, unknown>[],
  query: CollectionQuery,
  filterFields: FilterFields<F>,
  sortFields: readonly NoInfer<F>[],
): unknown[] {
  const result = queryObjects(presented, engineQuery(query), {
    filterFields,
    sortFields,
    valueOf: (row, field) => valueAt(row, field),
  })
  return sendCollection(reply, result, (row) => row)
}

/** The value at a dotted path of a presented object; an object is no value a filter can compare. */
export function valueAt(row: Readonly<Record<string, unknown>>, path: string): RowValue {
  let node: unknown = row
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  if (Array.isArray(node)) {
    return node.filter((v): v is string | number | boolean =>
      ['string', 'number', 'boolean'].includes(typeof v),
    )
  }
  return node === null || ['string', 'number', 'boolean'].includes(typeof node)
    ? (node as RowValue)
    : undefined
}
