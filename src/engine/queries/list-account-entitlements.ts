import { accountEntitlements } from '../../domain/config/account-entitlements.js'
import { entitlementAttributesOf, findSource } from '../../domain/config/workspace-config.js'
import type { Entitlement } from '../../domain/model.js'
import {
  countEntitlements,
  listEntitlements as listStored,
  type EntitlementFilter,
  type EntitlementSortField,
} from '../../store/entitlements.js'
import type { EngineContext } from '../engine-context.js'
import { getAccount } from './get-account.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

const FIELDS: readonly EntitlementSortField[] = ['attribute', 'value', 'name', 'created', 'id']

/**
 * The entitlements an account holds: the values of its source's entitlement attributes, as the stored
 * entitlements of that source. NotFoundError for an unknown account.
 */
export async function listAccountEntitlements(
  ctx: EngineContext,
  accountId: string,
  query: Query<never, EntitlementSortField> = {},
): Promise<QueryResult<Entitlement>> {
  const account = await getAccount(ctx, accountId)
  const source = findSource(ctx.config, account.sourceId) ?? findSource(ctx.config, account.sourceName)
  const held = source ? accountEntitlements(entitlementAttributesOf(source), account.attributes) : []
  if (held.length === 0) return resultOf(query, [], async () => 0)
  const filter: EntitlementFilter = { sourceId: account.sourceId, held }
  const rows = await listStored(ctx.db, filter, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countEntitlements(ctx.db, filter))
}
