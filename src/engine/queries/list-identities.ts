import type { Identity } from '../../domain/model.js'
import { readFilters, type FilterFields } from '../../domain/query/check-filters.js'
import {
  countIdentities,
  listIdentities as listStored,
  type IdentityFilter,
  type IdentityFilterField,
  type IdentitySortField,
} from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export interface IdentityFilters {
  /** Identities whose name starts with this. */
  readonly nameStartsWith?: string
}

const FIELDS: readonly IdentitySortField[] = ['name', 'created', 'modified', 'id']

const TEXT = ['eq', 'ne', 'in', 'sw', 'co', 'pr', 'isnull'] as const
const DATES = ['eq', 'gt', 'lt', 'ge', 'le'] as const

/** What the v3 `filters` of identities can name, as the reference's identity list filters do. */
export const IDENTITY_FILTER_FIELDS: FilterFields<IdentityFilterField> = {
  id: { type: 'string', operators: ['eq', 'ne', 'in'] },
  name: { type: 'string', operators: ['eq', 'ne', 'in', 'sw', 'co'], caseInsensitive: true },
  alias: { type: 'string', operators: ['eq', 'ne', 'in', 'sw', 'co'], caseInsensitive: true },
  email: { type: 'string', operators: TEXT, caseInsensitive: true },
  firstname: { type: 'string', operators: TEXT, caseInsensitive: true },
  lastname: { type: 'string', operators: TEXT, caseInsensitive: true },
  lifecycleState: { type: 'string', operators: ['eq', 'ne', 'in', 'pr', 'isnull'] },
  managerId: { type: 'string', operators: ['eq', 'ne', 'in', 'pr', 'isnull'] },
  processingState: { type: 'string', operators: ['eq', 'ne'] },
  created: { type: 'date', operators: DATES },
  modified: { type: 'date', operators: DATES },
}

/**
 * Identities, by name unless sorted otherwise. `filters` is either the structured filters or a v3
 * `filters` string (`email sw "ada" and lifecycleState eq "active"`; InputError when it does not parse
 * or names a field or operator the listing does not support).
 */
export async function listIdentities(
  ctx: EngineContext,
  query: Query<IdentityFilters | string, IdentitySortField> = {},
): Promise<QueryResult<Identity>> {
  const filter: IdentityFilter =
    typeof query.filters === 'string'
      ? { expression: readFilters(query.filters, IDENTITY_FILTER_FIELDS) }
      : (query.filters ?? {})
  const rows = await listStored(ctx.db, filter, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countIdentities(ctx.db, filter))
}
