import type { Entitlement } from '../../domain/model.js'
import { readFilters, type FilterFields } from '../../domain/query/check-filters.js'
import {
  countEntitlements,
  listEntitlements as listStored,
  type EntitlementFilter,
  type EntitlementFilterField,
  type EntitlementSortField,
} from '../../store/entitlements.js'
import type { EngineContext } from '../engine-context.js'
import { configuredSourceId } from './list-sources.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export interface EntitlementFilters {
  /** A configured source's name. */
  readonly source: string
}

const FIELDS: readonly EntitlementSortField[] = ['attribute', 'value', 'name', 'created', 'id']

const IDS = ['eq', 'in'] as const

/** What the v3 `filters` of entitlements can name, as the reference's entitlement list filters do. */
export const ENTITLEMENT_FILTER_FIELDS: FilterFields<EntitlementFilterField> = {
  id: { type: 'string', operators: IDS },
  name: { type: 'string', operators: ['eq', 'in', 'sw', 'co'], caseInsensitive: true },
  attribute: { type: 'string', operators: IDS },
  value: { type: 'string', operators: ['eq', 'in', 'sw'] },
  'source.id': { type: 'string', operators: IDS },
  requestable: { type: 'boolean', operators: ['eq'] },
  created: { type: 'date', operators: ['gt', 'lt', 'ge', 'le'] },
}

/**
 * Entitlements, by attribute and value unless sorted otherwise. `filters` is either one source's (by
 * name; NotFoundError for an unknown source) or a v3 `filters` string over every source (`source.id eq
 * "…" and value sw "eng"`; InputError when it does not parse or names a field or operator not supported).
 */
export async function listEntitlements(
  ctx: EngineContext,
  query: Query<EntitlementFilters | string, EntitlementSortField> & {
    readonly filters?: EntitlementFilters | string
  },
): Promise<QueryResult<Entitlement>> {
  const filter: EntitlementFilter =
    typeof query.filters === 'string'
      ? { expression: readFilters(query.filters, ENTITLEMENT_FILTER_FIELDS) }
      : query.filters === undefined
        ? {}
        : { sourceId: await configuredSourceId(ctx, query.filters.source) }
  const rows = await listStored(ctx.db, filter, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countEntitlements(ctx.db, filter))
}
