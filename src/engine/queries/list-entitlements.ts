import type { Entitlement } from '../../domain/model.js'
import {
  countEntitlements,
  listEntitlements as listStored,
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

/** A source's entitlements, by attribute and value unless sorted otherwise; NotFoundError for an unknown source. */
export async function listEntitlements(
  ctx: EngineContext,
  query: Query<EntitlementFilters, EntitlementSortField> & { readonly filters: EntitlementFilters },
): Promise<QueryResult<Entitlement>> {
  const sourceId = await configuredSourceId(ctx, query.filters.source)
  const rows = await listStored(ctx.db, sourceId, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countEntitlements(ctx.db, sourceId))
}
