import type { Account } from '../../domain/model.js'
import { readFilters, type FilterFields } from '../../domain/query/check-filters.js'
import {
  countAccounts,
  listAccounts as listStored,
  type AccountFilter,
  type AccountFilterField,
  type AccountSortField,
} from '../../store/accounts.js'
import type { EngineContext } from '../engine-context.js'
import { configuredSourceId } from './list-sources.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export interface AccountFilters {
  /** A configured source's name. */
  readonly source?: string
  readonly identityId?: string
}

const FIELDS: readonly AccountSortField[] = ['nativeIdentity', 'name', 'created', 'modified', 'id']

const TEXT_IDS = ['eq', 'ne', 'in'] as const
const DATES = ['eq', 'gt', 'lt', 'ge', 'le'] as const

/** What the v3 `filters` of accounts can name, as the reference's account list filters do. */
export const ACCOUNT_FILTER_FIELDS: FilterFields<AccountFilterField> = {
  id: { type: 'string', operators: TEXT_IDS },
  identityId: { type: 'string', operators: [...TEXT_IDS, 'pr', 'isnull'] },
  sourceId: { type: 'string', operators: TEXT_IDS },
  nativeIdentity: { type: 'string', operators: [...TEXT_IDS, 'sw'] },
  name: { type: 'string', operators: [...TEXT_IDS, 'sw', 'co', 'pr', 'isnull'], caseInsensitive: true },
  uncorrelated: { type: 'boolean', operators: ['eq'] },
  manuallyCorrelated: { type: 'boolean', operators: ['eq'] },
  disabled: { type: 'boolean', operators: ['eq', 'ne'] },
  locked: { type: 'boolean', operators: ['eq', 'ne'] },
  created: { type: 'date', operators: DATES },
  modified: { type: 'date', operators: DATES },
}

/**
 * Accounts, by source and native identity unless sorted otherwise. `filters` is either the structured
 * filters (NotFoundError for an unknown source) or a v3 `filters` string (`sourceId eq "…" and nativeIdentity
 * eq "…"`; InputError when it does not parse or names a field or operator the listing does not support).
 */
export async function listAccounts(
  ctx: EngineContext,
  query: Query<AccountFilters | string, AccountSortField> = {},
): Promise<QueryResult<Account>> {
  const filter = await accountFilter(ctx, query.filters)
  const rows = await listStored(ctx.db, filter, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countAccounts(ctx.db, filter))
}

async function accountFilter(
  ctx: EngineContext,
  filters: AccountFilters | string | undefined,
): Promise<AccountFilter> {
  if (typeof filters === 'string') return { expression: readFilters(filters, ACCOUNT_FILTER_FIELDS) }
  const { source, identityId } = filters ?? {}
  return {
    ...(source !== undefined ? { sourceId: await configuredSourceId(ctx, source) } : {}),
    ...(identityId !== undefined ? { identityIds: [identityId] } : {}),
  }
}
