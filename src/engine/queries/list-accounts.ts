import type { Account } from '../../domain/model.js'
import { countAccounts, listAccounts as listStored, type AccountSortField } from '../../store/accounts.js'
import type { EngineContext } from '../engine-context.js'
import { configuredSourceId } from './list-sources.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export interface AccountFilters {
  /** A configured source's name. */
  readonly source?: string
  readonly identityId?: string
}

const FIELDS: readonly AccountSortField[] = ['nativeIdentity', 'name', 'created', 'modified', 'id']

/** Accounts, by source and native identity unless sorted otherwise; NotFoundError for an unknown source. */
export async function listAccounts(
  ctx: EngineContext,
  query: Query<AccountFilters, AccountSortField> = {},
): Promise<QueryResult<Account>> {
  const { source, identityId } = query.filters ?? {}
  const filter = {
    ...(source !== undefined ? { sourceId: await configuredSourceId(ctx, source) } : {}),
    ...(identityId !== undefined ? { identityIds: [identityId] } : {}),
  }
  const rows = await listStored(ctx.db, filter, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countAccounts(ctx.db, filter))
}
