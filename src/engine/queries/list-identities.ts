import type { Identity } from '../../domain/model.js'
import {
  countIdentities,
  listIdentities as listStored,
  type IdentitySortField,
} from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export interface IdentityFilters {
  /** Identities whose name starts with this. */
  readonly nameStartsWith?: string
}

const FIELDS: readonly IdentitySortField[] = ['name', 'created', 'modified', 'id']

/** Identities, by name unless sorted otherwise. */
export async function listIdentities(
  ctx: EngineContext,
  query: Query<IdentityFilters, IdentitySortField> = {},
): Promise<QueryResult<Identity>> {
  const filter = query.filters ?? {}
  const rows = await listStored(ctx.db, filter, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countIdentities(ctx.db, filter))
}
